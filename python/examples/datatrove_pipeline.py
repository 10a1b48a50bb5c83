"""Strips boilerplate from the JSONL files of news/ into clean/ with datatrove and deboil; what was
removed goes to removed/ for review. Needs `pip install datatrove orjson`."""

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from deboil.integrations.datatrove import DeboilCleaner

if __name__ == "__main__":
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader("news/"),  # a record's "url" (and "language") reach the step as metadata
            DeboilCleaner(keep_removals=True, exclusion_writer=JsonlWriter("removed/")),
            JsonlWriter("clean/"),
        ],
        tasks=4,
        logging_dir="logs/",
    ).run()
