"""`rehearse`: the exam's five kinds of question, run end to end in the target.

questions: what each question trains and the score it must reach; data: the synthetic files in the
exam's formats (a JSON of sentences, a CSV series; the JPEGs are drawn by the target's TensorFlow);
questions_payload: the stdlib-only script the target runs, once to train and save a question's
`.h5`, once more in a fresh process to reload and score it; runner: both runs of each question
under a timeout, with the diagnosis of any failure; result: the saved document.
"""
