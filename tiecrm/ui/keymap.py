"""Read the user's keymap file: binding ids mapped to keys, applied with Textual's `App.set_keymap`."""

from __future__ import annotations

from pathlib import Path


def load_keymap(path: Path) -> tuple[dict[str, str], list[str]]:
    """Return (keymap, problems). The file holds a `[keymap]` table: `"app.quick_add" = "a"`.

    A missing file is an empty keymap; a broken one is reported, never fatal.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as e:
        return {}, [f"{path}: {e}"]
    import tomllib  # only once there is a file to parse: most people never write one

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return {}, [f"{path}: {e}"]
    table = data.get("keymap", data)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in table.items():
        if isinstance(keys, list):
            keys = ",".join(str(k) for k in keys)
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f"{path}: {binding_id}: expected a key such as \"ctrl+n\"")
            continue
        keymap[str(binding_id)] = keys.strip()
    return keymap, problems
