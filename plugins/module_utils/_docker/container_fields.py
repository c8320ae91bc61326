# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure functions that turn docker_container options and `docker inspect` output into one comparable form.

Both sides are normalised the same way so that plain equality means "no change": ports and
volumes become sorted canonical strings, durations nanoseconds, memory bytes, env string maps.
"""

from __future__ import annotations

import re
import shlex
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

NANOSECONDS = {"ns": 1, "us": 10 ** 3, "ms": 10 ** 6, "s": 10 ** 9, "m": 60 * 10 ** 9, "h": 3600 * 10 ** 9}
MEMORY_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}
HEALTHCHECK_DURATIONS = (("interval", "Interval"), ("timeout", "Timeout"), ("start_period", "StartPeriod"))
PORT_PATTERN = re.compile(r"^(?:(?:(?P<ip>\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(?P<host>\d*):)?(?P<container>\d+)(?:/(?P<proto>tcp|udp|sctp))?$")
ANY_ADDRESS = "0.0.0.0"


def env_value(value: t.Any) -> str:
    """Env values as Docker stores them; YAML booleans become lower-case words, not Python's True."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def string_map(values: t.Optional[t.Dict[str, t.Any]]) -> t.Dict[str, str]:
    return {str(key): env_value(value) for key, value in (values or {}).items()}


def env_list_to_dict(entries: t.Optional[t.Iterable[str]]) -> t.Dict[str, str]:
    pairs = (entry.split("=", 1) for entry in entries or [])
    return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}


def own_entries(values: t.Dict[str, str], inherited: t.Dict[str, str], wanted_keys: t.Iterable[str]) -> t.Dict[str, str]:
    """Entries set on the container: those the image does not give the same way, plus those the task names.

    Keeping the keys the task names means a task that sets a value equal to the image's still compares equal.
    """
    keep = set(wanted_keys)
    return {key: value for key, value in values.items() if key in keep or inherited.get(key) != value}


def command_list(value: t.Any) -> t.Optional[t.List[str]]:
    """A command or entrypoint as Docker stores it: a list; a string is split like a shell would."""
    if value is None:
        return None
    if isinstance(value, str):
        return shlex.split(value)
    return [str(item) for item in value]


def parse_duration(value: t.Any, field: str) -> int:
    """Nanoseconds from seconds (int) or a Go-style duration such as 1m30s or 500ms."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value * NANOSECONDS["s"])
    text = str(value).strip()
    if text.isdigit():
        return int(text) * NANOSECONDS["s"]
    parts = re.findall(r"(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)", text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        raise ResourceError("healthcheck.%s is %r, which is not a duration: use seconds or a value such as "
                            "30s, 1m30s or 500ms." % (field, value))
    return int(sum(float(number) * NANOSECONDS[unit] for number, unit in parts))


def parse_memory(value: t.Any) -> int:
    """Bytes from an int or a size such as 512m or 1g (binary units, as Docker reads them)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = re.match(r"^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$", str(value).strip().lower())
    if not match:
        raise ResourceError("memory is %r, which is not a size: use bytes or a value such as 512m or 2g." % (value,))
    return int(float(match.group(1)) * MEMORY_UNITS[match.group(2)])


def healthcheck_test(test: t.Any) -> t.List[str]:
    """The test as Docker stores it: a string runs in a shell; a list without a CMD/NONE marker runs directly."""
    if isinstance(test, str):
        return ["CMD-SHELL", test]
    items = [str(item) for item in test]
    if items and items[0] in ("CMD", "CMD-SHELL", "NONE"):
        return items
    return ["CMD"] + items


def desired_healthcheck(spec: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """Docker's healthcheck keys for the options the task set."""
    check: t.Dict[str, t.Any] = {}
    if spec.get("test") is not None:
        check["Test"] = healthcheck_test(spec["test"])
    for option, key in HEALTHCHECK_DURATIONS:
        if spec.get(option) is not None:
            check[key] = parse_duration(spec[option], option)
    if spec.get("retries") is not None:
        check["Retries"] = int(spec["retries"])
    return check


def current_healthcheck(config: t.Optional[t.Dict[str, t.Any]], wanted: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """The container's healthcheck on the keys the task set (Docker fills in the others)."""
    config = config or {}
    return {key: config.get(key) if key == "Test" else config.get(key, 0) for key in wanted}


def parse_port(spec: str) -> t.Tuple[str, str, str, str]:
    """(host ip, host port, container port, protocol) of "[IP:][HOST:]CONTAINER[/proto]"."""
    match = PORT_PATTERN.match(spec.strip())
    if not match:
        raise ResourceError("ports entry %r is not [IP:][HOST:]CONTAINER[/tcp|udp|sctp], for example "
                            "127.0.0.1:8000:8000 or 8080:80/tcp." % spec)
    for part in ("host", "container"):
        number = match.group(part)
        if number and not 0 < int(number) < 65536:
            raise ResourceError("ports entry %r has port %s, outside 1-65535." % (spec, number))
    ip = (match.group("ip") or ANY_ADDRESS).strip("[]")
    return ip, match.group("host") or "", match.group("container"), match.group("proto") or "tcp"


def port_string(ip: str, host: str, container: str, proto: str) -> str:
    return "%s:%s:%s/%s" % (ip or ANY_ADDRESS, host, container, proto)


def desired_ports(specs: t.Iterable[str]) -> t.List[str]:
    return sorted(port_string(*parse_port(spec)) for spec in specs)


def current_ports(bindings: t.Optional[t.Dict[str, t.Any]]) -> t.List[str]:
    """HostConfig.PortBindings ({"8000/tcp": [{"HostIp": "", "HostPort": "8080"}]}) as canonical strings."""
    ports = []
    for key, hosts in (bindings or {}).items():
        container, _sep, proto = key.partition("/")
        for host in hosts or [{}]:
            ports.append(port_string(host.get("HostIp") or "", host.get("HostPort") or "", container, proto or "tcp"))
    return sorted(ports)


def port_bindings(ports: t.Iterable[str]) -> t.Dict[str, t.List[t.Tuple[str, ...]]]:
    """The SDK's port_bindings argument for canonical port strings."""
    bindings: t.Dict[str, t.List[t.Tuple[str, ...]]] = {}
    for spec in ports:
        ip, host, container, proto = parse_port(spec)
        bindings.setdefault("%s/%s" % (container, proto), []).append((ip, host) if host else (ip,))
    return bindings


def parse_volume(spec: str) -> t.Tuple[str, str, str]:
    """(source, destination, mode) of "SOURCE:DEST[:ro|rw]"; a source that is not a path is a named volume."""
    parts = spec.split(":")
    if len(parts) == 2:
        parts.append("rw")
    if len(parts) != 3 or not parts[0] or not parts[1].startswith("/") or parts[2] not in ("ro", "rw"):
        raise ResourceError("volumes entry %r is not SOURCE:DEST[:ro|rw] with an absolute DEST, for example "
                            "pgdata:/var/lib/postgresql/data or /srv/app:/app:ro." % spec)
    if "/" in parts[0] and not parts[0].startswith("/"):
        raise ResourceError("volumes entry %r: a bind-mount source must be an absolute path; a named volume "
                            "has no slash." % spec)
    return parts[0], parts[1].rstrip("/") or "/", parts[2]


def desired_volumes(specs: t.Iterable[str]) -> t.List[str]:
    return sorted(":".join(parse_volume(spec)) for spec in specs)


def current_volumes(binds: t.Optional[t.Iterable[str]]) -> t.List[str]:
    """HostConfig.Binds in canonical form; binds Docker stored without a mode are read-write."""
    volumes = []
    for bind in binds or []:
        parts = bind.split(":")
        mode = "ro" if len(parts) > 2 and "ro" in parts[2].split(",") else "rw"
        volumes.append(":".join([parts[0], parts[1].rstrip("/") or "/", mode]))
    return sorted(volumes)


def desired_networks(specs: t.Iterable[t.Dict[str, t.Any]]) -> t.List[t.Dict[str, t.Any]]:
    return sorted(
        ({"name": spec["name"], "aliases": sorted(set(spec.get("aliases") or []))} for spec in specs),
        key=lambda network: network["name"],
    )


def current_networks(networks: t.Optional[t.Dict[str, t.Any]], automatic_aliases: t.Iterable[str]) -> t.List[t.Dict[str, t.Any]]:
    """Attached networks with the aliases given to the container, minus the ones Docker adds by itself."""
    automatic = set(automatic_aliases)
    return sorted(
        ({"name": name, "aliases": sorted(set(settings.get("Aliases") or []) - automatic)}
         for name, settings in (networks or {}).items()),
        key=lambda network: network["name"],
    )


def network_changes(current: t.List[t.Dict[str, t.Any]], desired: t.List[t.Dict[str, t.Any]]) -> t.Tuple[t.List[str], t.List[t.Dict[str, t.Any]]]:
    """Networks to disconnect (absent or with other aliases) and networks to connect (new or re-aliased)."""
    have = {network["name"]: network for network in current}
    want = {network["name"]: network for network in desired}
    disconnect = [name for name, network in have.items() if want.get(name) != network]
    connect = [network for name, network in want.items() if have.get(name) != network]
    return sorted(disconnect), connect


def image_reference(name: str) -> str:
    """An image reference with its tag made explicit (Docker reads a bare name as :latest)."""
    if "@" in name:
        return name
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last else name + ":latest"


def restart_policy(name: str, retries: int) -> t.Dict[str, t.Any]:
    """The SDK's restart_policy argument; only on-failure takes a retry count."""
    return {"Name": name, "MaximumRetryCount": retries if name == "on-failure" else 0}


def current_restart_policy(policy: t.Optional[t.Dict[str, t.Any]]) -> str:
    """HostConfig.RestartPolicy.Name; engines store "no" as an empty name."""
    return (policy or {}).get("Name") or "no"


def tmpfs_mounts(specs: t.Iterable[str]) -> t.Dict[str, str]:
    """"/tmp" or "/tmp:size=64m" entries as Docker's HostConfig.Tmpfs mapping."""
    mounts = {}
    for spec in specs:
        path, _sep, options = spec.partition(":")
        if not path.startswith("/"):
            raise ResourceError("tmpfs entry %r must start with an absolute path, for example /tmp:size=64m." % spec)
        mounts[path] = options
    return mounts
