"""Input and output: JSON and JSONL (canonical, located errors), a streaming reader of JSON arrays, atomic
writes, and the project layout (every folder and file name of a project)."""
