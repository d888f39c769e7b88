from tfenvcheck.cli import main

raise SystemExit(main())
