# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Any Kubernetes object, applied server-side as the collection's field manager.

The state compared is one entry per leaf of the definition (``spec.replicas``, ``spec.template.spec.containers[web]
.image``) plus ``owned``, the fields the collection's applies own. A read is one GET when the live object already
holds the definition as written and owns nothing the definition dropped; otherwise the server answers a dry-run
apply, and the object as the apply would leave it (defaults, admission, the server's spelling of values) is what the
live object is compared with. So a no-op makes no write, and a check says exactly what the apply does.

``restart`` rolls a workload's pods as ``kubectl rollout restart`` does, by an annotation of its pod template that a
field manager of its own sets: the collection's next apply neither owns it nor takes it away (which would roll the
pods once more).
"""

from __future__ import annotations

import base64
import time
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Resource, ResourceError, predicted_state
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import wait_argument_spec
from ansible_collections.agno.infra.plugins.module_utils._k8s import fields, ownership
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import KUBERNETES, Kind, KubeClient, answer, status_of
from ansible_collections.agno.infra.plugins.module_utils._k8s.evidence import quoted
from ansible_collections.agno.infra.plugins.module_utils._k8s.ready import failure, pending

Obj = t.Dict[str, t.Any]
OWNED = "owned"
#: The compared field that a restart changes, and how kubectl rollout restart marks a pod template.
RESTART = "restart"
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
RESTARTER = fields.MANAGER + "-restart"
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
TEMPLATE = "spec.template."
SECRET_KINDS = ("Secret",)
SECRET_KEYS = ("data", "stringData")
DATA_KINDS = ("PersistentVolumeClaim", "Namespace")


def identity(params: t.Dict[str, t.Any]) -> Obj:
    """The definition with apiVersion, kind, name and namespace filled in from the options it lacks, and a Secret's
    stringData as data: 1.24's apply gives an object with stringData a new resourceVersion every time."""
    definition = dict(params.get("definition") or {})
    metadata = dict(definition.get("metadata") or {})
    definition.setdefault("apiVersion", params.get("api_version") or "v1")
    if params.get("kind"):
        definition.setdefault("kind", params["kind"])
    for key in ("name", "namespace"):
        if params.get(key) and not metadata.get(key):
            metadata[key] = params[key]
    definition["metadata"] = metadata
    if definition.get("kind") in SECRET_KINDS and isinstance(definition.get("stringData"), dict):
        encoded = {key: base64.b64encode(str(value).encode("utf-8")).decode("ascii") for key, value in definition.pop("stringData").items()}
        definition["data"] = dict(definition.get("data") or {}, **encoded)
    return definition


def decoded(value: str) -> t.List[str]:
    """A Secret's value and what it encodes (both are secret)."""
    try:
        return [value, base64.b64decode(value, validate=True).decode("utf-8")]
    except (ValueError, UnicodeDecodeError):
        return [value]


def secret_values(definition: Obj) -> t.List[str]:
    """The values of a Secret's data, which no output may show."""
    if definition.get("kind") not in SECRET_KINDS:
        return []
    return [text for key in SECRET_KEYS for value in (definition.get(key) or {}).values() if value for text in decoded(str(value)) if text]


def stripped(obj: Obj) -> Obj:
    """The object as returned to the user: no managedFields, a Secret's values masked."""
    metadata = {key: value for key, value in (obj.get("metadata") or {}).items() if key != "managedFields"}
    out = dict(obj, metadata=metadata)
    if obj.get("kind") in SECRET_KINDS:
        for key in SECRET_KEYS:
            if key in out:
                out[key] = {name: "********" for name in out[key] or {}}
    return out


class ObjectResource(Resource):
    module_name = "k8s_object"
    kind = "k8s object"
    result_key = "object"
    provider = KUBERNETES
    deletes_slowly = True
    argument_spec = dict(
        state={"type": "str", "choices": ["present", "absent"], "default": "present"},
        definition={"type": "dict"},
        api_version={"type": "str", "default": "v1", "aliases": ["apiVersion"]},
        kind={"type": "str"},
        name={"type": "str"},
        namespace={"type": "str"},
        force_conflicts={"type": "bool", "default": False},
        restart={"type": "bool", "default": False},
        **wait_argument_spec(False),
    )
    # A change of what the pods read (a Secret of theirs, in refresh_on) rolls them.
    refresh = {"restart": True}
    validation = {"required_one_of": [("definition", "kind")], "required_by": {"kind": ("name",)}}
    owned_kind = ownership.OBJECT

    def __init__(self, client: t.Any, params: t.Dict[str, t.Any]) -> None:
        super().__init__(client, params)
        self.definition = identity(params)
        self.body = fields.content(self.definition)
        self.paths = {fields.text(leaf[0]): leaf[0] for leaf in fields.leaves(self.body)}
        #: The object as a dry-run apply would leave it, when the read asked for one.
        self.expected: t.Optional[Obj] = None
        self.live: t.Optional[Obj] = None
        if self.definition.get("kind") in SECRET_KINDS:
            self.secret_fields = tuple(label for label, path in self.paths.items() if path[0] in SECRET_KEYS)

    @classmethod
    def problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        definition = identity(params)
        found = super().problems(params)
        if not definition.get("kind"):
            found.append("The definition has no kind: set definition.kind or the kind option.")
        if not definition["metadata"].get("name"):
            found.append("The definition has no name: set definition.metadata.name or the name option.")
        if params.get("restart") and definition.get("kind") not in WORKLOAD_KINDS:
            found.append("restart rolls the pods of a Deployment, StatefulSet or DaemonSet, and this is a %s: remove restart."
                         % definition.get("kind"))
        return found

    @classmethod
    def secret_values(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        return secret_values(identity(params))

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        return {"definition": ownership.definition(found)}

    def holds_data(self, current: t.Dict[str, t.Any]) -> bool:
        """A claim holds a volume's data, a namespace the claims in it."""
        return self.definition.get("kind") in DATA_KINDS

    @property
    def name(self) -> str:
        metadata = self.definition["metadata"]
        where = metadata["namespace"] + "/" if metadata.get("namespace") else ""
        return "%s %s%s" % (self.definition.get("kind"), where, metadata.get("name"))

    @property
    def kube(self) -> KubeClient:
        return t.cast(KubeClient, self.client)

    def where(self) -> Kind:
        return self.kube.kind(self.definition["apiVersion"], self.definition["kind"])

    def namespace(self) -> t.Optional[str]:
        return t.cast(t.Optional[str], self.definition["metadata"].get("namespace") if self.where().namespaced else None)

    # ---- state ----------------------------------------------------------------------------------------
    def desired(self) -> t.Dict[str, t.Any]:
        values = {label: fields.value_at(self.body, path) for label, path in self.paths.items()}
        return dict(values, **{OWNED: None}, **({RESTART: True} if self.params["restart"] else {}))

    def view(self, obj: Obj) -> t.Dict[str, t.Any]:
        """The compared fields of an object (live, or as an apply would leave it); a restart is still to come."""
        values = {label: fields.value_at(obj, path) for label, path in self.paths.items()}
        return dict(values, **{OWNED: fields.owned_paths(fields.owned(obj))}, **({RESTART: False} if self.params["restart"] else {}))

    def fetched(self) -> t.Optional[Obj]:
        """The live object, None when there is none."""
        return self.kube.get(self.where(), self.definition["metadata"]["name"], self.namespace())

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        self.live, self.expected = self.fetched(), None
        if self.live is None:
            return None
        as_written = fields.matches(self.body, self.live) and fields.within(fields.owned(self.live), self.body)
        if self.params["state"] == "present" and not as_written:
            self.expected = self.apply(dry_run=True)
        return self.view(self.live)

    def differs(self, field: str, current_value: t.Any, desired_value: t.Any) -> bool:
        if field == RESTART:
            return True
        if self.expected is None:
            # The fast read found the definition as written: only a value written otherwise differs.
            return field != OWNED and current_value != desired_value
        expected = self.view(self.expected)[field]
        if field == OWNED:
            # Owning more comes with a value the apply sets; owning less is a change of its own: the fields released.
            return bool(set(current_value or []) - set(expected))
        return bool(current_value != expected)

    def predict(self, current: t.Optional[t.Dict[str, t.Any]], desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """Check mode: the object as the server says the apply would leave it."""
        if self.expected is None and current is None:
            try:
                self.expected = self.apply(dry_run=True)
            except Exception as error:  # pylint: disable=broad-except
                # Its namespace is made by an earlier task of the same check: nothing to ask the server yet.
                if status_of(error) != 404:
                    raise
        return self.view(self.expected) if self.expected is not None else predicted_state(current, desired)

    def public(self, state: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        shown = self.expected if self.expected is not None else self.live
        return stripped(shown) if shown is not None else {}

    # ---- changes --------------------------------------------------------------------------------------
    def apply(self, dry_run: bool = False) -> Obj:
        try:
            return self.kube.apply(self.where(), self.namespace(), self.definition, self.params["force_conflicts"], dry_run)
        except Exception as error:  # pylint: disable=broad-except
            if status_of(error) == 409:
                raise ResourceError(self.conflict_message(fields.conflicts(answer(error))))
            raise

    def conflict_message(self, held: t.Dict[str, t.List[str]]) -> str:
        parts = ", ".join("%s (held by %s)" % (", ".join(paths), manager) for manager, paths in sorted(held.items()))
        return ("%s: the apply conflicts with another field manager on %s: set force_conflicts=true to take those fields "
                "over, or drop them from the definition." % (self.name, parts or "some fields"))

    def applied(self) -> t.Dict[str, t.Any]:
        self.live, self.expected = self.apply(), None
        return self.view(self.live)

    def create(self, desired: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        return self.applied()

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        if set(changes) - {RESTART}:
            self.applied()
        # A changed pod template rolls the pods by itself: a stamp on top would roll them twice.
        if RESTART in changes and not any(field.startswith(TEMPLATE) for field in changes):
            self.live = self.restarted()
        return dict(self.view(t.cast(Obj, self.live)), **({RESTART: True} if RESTART in changes else {}))

    def restarted(self) -> Obj:
        """The workload with its pod template stamped with the time, by the restart's own field manager."""
        metadata = {key: self.definition["metadata"][key] for key in ("name", "namespace") if self.definition["metadata"].get(key)}
        stamp = {"apiVersion": self.definition["apiVersion"], "kind": self.definition["kind"], "metadata": metadata,
                 "spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}}}}}
        return self.kube.apply(self.where(), self.namespace(), stamp, True, False, RESTARTER)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        try:
            self.kube.call("DELETE", self.where().path(self.namespace(), self.definition["metadata"]["name"]),
                           body={"propagationPolicy": "Foreground"})
        except Exception as error:  # pylint: disable=broad-except
            if status_of(error) != 404:
                raise
        self.live = None

    def gone(self) -> bool:
        return self.fetched() is None

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        """Poll the object until its kind's readiness rule holds; a failure for good or the timeout quote the evidence."""
        def check() -> t.Tuple[bool, t.Any]:
            self.live = self.fetched() or {}
            broken = failure(self.live)
            if broken:
                raise ResourceError("%s will not become ready: %s.%s" % (self.name, broken, quoted(self.kube, self.live)))
            return pending(self.live) is None, state

        return t.cast(t.Dict[str, t.Any], self.poll(check, timeout, lambda: "%s is not ready after %d s: %s: raise "
                                                    "wait_timeout, or fix what the evidence shows.%s" % (
                                                        self.name, timeout, pending(self.live or {}) or "still pending",
                                                        quoted(self.kube, self.live or {}))))
