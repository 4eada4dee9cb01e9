"""Facts about a running container read from its /proc, for images that ship no `ps` or `ss`:
the processes with their UIDs (from /proc/<pid>/status) and the TCP ports it listens on (from
/proc/net/tcp and /proc/net/tcp6). The texts come from wherever the caller can read them
(testinfra inside the container, here); parsing them is all this module does.
"""

from dataclasses import dataclass

TCP_LISTEN = "0A"  # the `st` column of /proc/net/tcp: include/net/tcp_states.h, TCP_LISTEN = 10


@dataclass(frozen=True)
class Process:
    pid: int
    name: str
    uids: tuple[int, ...]  # real, effective, saved, filesystem
    gids: tuple[int, ...]


def processes(statuses: str) -> list[Process]:
    """Parse concatenated /proc/<pid>/status files (each starts with its `Name:` line)."""
    found: list[Process] = []
    fields: dict[str, str] = {}
    for line in statuses.splitlines() + ["Name:"]:
        key, _, value = line.partition(":")
        if key == "Name":
            if {"Pid", "Uid", "Gid"} <= fields.keys():  # a process that vanished mid-read is skipped
                found.append(Process(int(fields["Pid"]), fields["Name"],
                                     tuple(map(int, fields["Uid"].split())), tuple(map(int, fields["Gid"].split()))))
            fields = {}
        fields[key] = value.strip()
    return found


def listening_ports(*tables: str) -> set[int]:
    """Local ports in LISTEN state in /proc/net/tcp-format tables (IPv4 and IPv6 alike)."""
    ports = set()
    for table in tables:
        for row in table.splitlines()[1:]:
            columns = row.split()
            if len(columns) > 3 and columns[3] == TCP_LISTEN:
                ports.add(int(columns[1].rsplit(":", 1)[1], 16))
    return ports
