#!/usr/bin/env python3
"""Unpacks what the lab guest sent over its second serial port into one folder per scenario.

The guest writes `@@BEGIN name`, a base64 gzip tar of the scenario's folder, `@@END name`, and
`@@DONE` when every scenario ran. A missing `@@DONE` means the guest died or timed out.
"""
import base64, io, sys, tarfile, pathlib

def main(results_path, out_dir, label="initramfs"):
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    text = pathlib.Path(results_path).read_bytes().decode("utf-8", "replace").replace("\r", "")
    current, chunks, done = None, [], False
    for line in text.split("\n"):
        if line.startswith("@@LAB "):
            (out / "guest.txt").write_text(line[6:] + "\n")
        elif line.startswith("@@BEGIN "):
            current, chunks = line.split(" ", 1)[1].strip(), []
        elif line.startswith("@@END ") and current:
            data = base64.b64decode("".join(chunks))
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
                tar.extractall(out, filter="fully_trusted")
            current = None
        elif line.startswith("@@DONE"):
            done = True
        elif current:
            chunks.append(line.strip())
    if not done:
        (out / f"INCOMPLETE-{label}").write_text("the guest did not report @@DONE\n")
    return 0

if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
