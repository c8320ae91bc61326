"""The API server's audit log, for the target: with one argument its length in lines (a mark); with a mark, the write
requests made since then by the test's user as "VERB URI" lines (dry-runs are reads: they change nothing)."""

import json
import sys
import time

WRITES = ("create", "update", "patch", "delete", "deletecollection")


def main() -> None:
    time.sleep(0.5)  # the event of the last answer may still be on its way to the file
    with open(sys.argv[1], encoding="utf-8") as log:
        lines = log.readlines()
    if len(sys.argv) == 2:
        print(len(lines))
        return
    for line in lines[int(sys.argv[2]):]:
        event = json.loads(line)
        uri = event.get("requestURI", "")
        if (event.get("stage") == "ResponseComplete" and event.get("verb") in WRITES and "dryRun=All" not in uri
                and event.get("user", {}).get("username") == "k8skit-admin"):
            print(event["verb"], uri)


main()
