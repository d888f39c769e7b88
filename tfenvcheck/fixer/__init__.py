"""Fixing known breakages in a target: plan, apply with a journal, verify, undo.

- `plan.plan_fixes(facts, breakages, ids)` -> Plan: the breakages that apply and the actions that fix
  them, each checked beforehand (already done? possible?);
- `apply.start_journal(plan, ids)` and `apply.apply_plan(plan, journal)`: carry it out, journalled;
- `verify.verify_plan(plan)`: detect again;
- `undo.undo_run(journal, roots)`: put it back, writing only under the roots the target reports now;
- `journal.list_runs(target_executable)`: the journal records, newest first (shape in journal.py).
One module per action kind: pin.py (the target's pip), patch.py (guarded file edits), envvar.py
(.pth files), preload.py (.pth files that load libraries by path);
atomic.py writes files all-or-nothing; lock.py keeps one fixer per target.
"""

from tfenvcheck.fixer.journal import list_runs

__all__ = ["list_runs"]
