"""The stand-in's files: Slack's upload in three steps, as `files_upload_v2` makes it.

files.getUploadURLExternal gives a URL on the stand-in for a file of a stated length;
the bytes are POSTed there; files.completeUploadExternal then shares the file in a
channel, as a `file_share` message in its history.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

UPLOAD_PATH = "/upload/v1/"


@dataclass
class Uploads:
    # File id -> name, title, alt_txt, length asked for, content received, channel shared in.
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def in_channel(self, channel: str) -> list[dict[str, Any]]:
        """The files shared in `channel`, oldest first, each with its `content` bytes."""
        with self._lock:
            return [f for f in self.files.values() if f.get("channel") == channel]

    def get_upload_url(self, args: dict[str, Any], file_id: str, base: str) -> dict[str, Any]:
        """files.getUploadURLExternal: a URL under `base` where the bytes of `file_id` go."""
        try:
            length = int(args["length"])
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        with self._lock:
            self.files[file_id] = {
                "id": file_id,
                "name": args["filename"],
                "alt_txt": args.get("alt_txt"),
                "length": length,
                "content": None,
            }
        return {"ok": True, "upload_url": f"{base}{UPLOAD_PATH}{file_id}", "file_id": file_id}

    def receive(self, path: str, content: bytes) -> int:
        """The HTTP status for the bytes POSTed to the upload URL `path`."""
        file_id = path.removeprefix(UPLOAD_PATH)
        with self._lock:
            file = self.files.get(file_id)
            if file is None or file["length"] != len(content):
                return 400
            file["content"] = content
        return 200

    def complete(
        self, args: dict[str, Any], share: Callable[[str, dict[str, Any]], None]
    ) -> dict[str, Any]:
        """files.completeUploadExternal; a file shared in a channel is given to `share`
        with the channel, as the message that shares it (without its ts)."""
        files = args["files"]
        if isinstance(files, str):
            files = json.loads(files)
        channel = args.get("channel_id")
        with self._lock:
            known = [self.files.get(f.get("id", "")) for f in files]
            if any(f is None or f["content"] is None for f in known):
                return {"ok": False, "error": "file_not_found"}
        if channel and not channel.startswith(("C", "G", "D")):
            return {"ok": False, "error": "channel_not_found"}
        done = []
        with self._lock:
            for asked, file in zip(files, known, strict=True):
                assert file is not None
                file["title"] = asked.get("title") or file["name"]
                if channel:
                    file["channel"] = channel
                done.append({k: file[k] for k in ("id", "name", "title")})
        if channel:
            message = {
                "type": "message",
                "subtype": "file_share",
                "text": args.get("initial_comment") or "",
                "files": done,
            }
            share(channel, message)
        return {"ok": True, "files": done}
