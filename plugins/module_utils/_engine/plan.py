# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge many resources in one process: dependency order, independent ones in parallel.

Each item names a resource type (the same classes the single modules use), its parameters and
its dependencies. A parameter may refer to another item's state as ``${item_id.field}``: the
reference is resolved when that item has converged, and makes the dependency implicit. One
Ansible task then replaces 20-40 tasks, each of which would have cost a Python process.

Before converging, the plan reads ahead what it can (see ``reads_ahead``): an item as soon as the
options that locate it resolve, all items of a type that reads many at once in one batch once none
of them may still become locatable, and each item's converge starts from that state instead of reading it again.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import re
import threading
import typing as t

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.agno.infra.plugins.module_utils._engine.cascade import (
    Cascade, changing, escalated, refresh_problems)
from ansible_collections.agno.infra.plugins.module_utils._engine.items import (  # the plan's callers find them here too
    FAILED, OK, SECRETS, SKIPPED, Item, ItemResult, PlanError, Types, references, referenced_ids, resolve,
    whole_references, with_placeholders)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import (
    CREATE, DELETE, REAL_TIME, Clock, Outcome, Resource, ResourceError, converge, refusal_problems, transient_check)

ITEM_ID = re.compile(r"^[A-Za-z0-9_-]+$")


# ---- the list of items -----------------------------------------------------------------------
def parse_items(entries: t.List[t.Dict[str, t.Any]], types: Types) -> t.List[Item]:
    items: t.List[Item] = []
    seen: t.Set[str] = set()
    for index, entry in enumerate(entries):
        item_id = entry.get("id") or ""
        if not ITEM_ID.match(item_id):
            raise PlanError("resources[%d] has id %r: use letters, digits, '-' and '_'." % (index, item_id))
        if item_id in seen or item_id == SECRETS:
            raise PlanError("resources[%d] repeats the id %r: each resource needs its own id." % (index, item_id))
        if entry["type"] not in types:
            raise PlanError("Resource %s has unknown type %r; known types are: %s."
                            % (item_id, entry["type"], ", ".join(sorted(types))))
        seen.add(item_id)
        params = entry.get("params") or {}
        refresh_on = set(entry.get("refresh_on") or [])
        depends_on = (set(entry.get("depends_on") or []) | refresh_on | referenced_ids(params)) - {SECRETS}
        items.append(Item(item_id, entry["type"], params, depends_on, entry.get("group"), entry.get("app"), refresh_on))
    for item in items:
        unknown = sorted(item.depends_on - seen)
        if unknown:
            raise PlanError("Resource %s depends on %s, which the list does not define." % (item.id, ", ".join(unknown)))
    topological_order(items)
    problems = constraint_problems(items, types) + refresh_problems(items, types)
    if problems:
        raise PlanError(" ".join(problems))
    return items


def constraint_problems(items: t.List[Item], types: Types) -> t.List[str]:
    """Every option value of every item that its type's constraints refuse: all reported before anything converges."""
    return ["Resource %s (%s): %s" % (item.id, item.type, problem)
            for item in items for problem in types[item.type].problems(item.params)]


def topological_order(items: t.List[Item]) -> t.List[Item]:
    """Items with each one after its dependencies, in list order where free; a cycle is an error."""
    done: t.Set[str] = set()
    ordered: t.List[Item] = []
    pending = list(items)
    while pending:
        ready = [item for item in pending if item.depends_on <= done]
        if not ready:
            raise PlanError("Resources %s depend on each other in a cycle: remove one of the references."
                            % ", ".join(item.id for item in pending))
        for item in ready:
            ordered.append(item)
            done.add(item.id)
        pending = [item for item in pending if item.id not in done]
    return ordered


def dependants(items: t.List[Item]) -> t.Dict[str, t.Set[str]]:
    reverse: t.Dict[str, t.Set[str]] = {item.id: set() for item in items}
    for item in items:
        for dependency in item.depends_on:
            reverse[dependency].add(item.id)
    return reverse


def unmatched_selectors(items: t.List[Item], selectors: t.Optional[t.List[str]]) -> t.List[str]:
    """The entries of a limit that select no item: a misspelt one would otherwise leave everything only read."""
    known = {name for item in items for name in (item.id, item.type, item.group, item.app) if name}
    return [selector for selector in selectors or [] if selector not in known]


def selected(item: Item, limit: t.Optional[t.List[str]]) -> bool:
    """Whether `limit` (ids, types, groups or app names) selects the item (no limit selects all); the others are only read."""
    return not limit or bool({item.id, item.type, item.group, item.app} & set(limit))


# ---- reading ahead ---------------------------------------------------------------------------
# A resource type can be read ahead when it declares ``locator``, the options that say which object an item is (its
# name, the VPC or cluster it lives in): its ``read`` depends on nothing else but which options the task sets, and
# leaves nothing behind that a later step needs, so an item can be read before the references in its other options
# resolve. It reads many of its items at once when it also has the classmethod ``read_batch(resources)``, which
# returns the resources' current states in their order, as ``read`` would, in as few calls as its API allows.
def reads_ahead(kind: t.Type[Resource]) -> bool:
    return hasattr(kind, "locator")


def reads_many(kind: t.Type[Resource]) -> bool:
    return hasattr(kind, "read_batch")


def locator_ids(item: Item, kind: t.Type[Resource]) -> t.Set[str]:
    """The items whose states the options that locate ``item`` refer to."""
    return referenced_ids([item.params.get(option) for option in kind.locator]) - {SECRETS}


def batches(items: t.List[Item], types: Types) -> t.List[t.List[Item]]:
    """The items as they are read together: all of a type that reads many at once, each of the others alone."""
    groups: t.Dict[str, t.List[Item]] = {}
    for item in items:
        groups.setdefault(item.type if reads_many(types[item.type]) else item.id, []).append(item)
    return list(groups.values())


# ---- running ---------------------------------------------------------------------------------
class Plan:
    """Converges a list of items with a bounded pool of threads, respecting dependencies."""

    def __init__(self, items: t.List[Item], types: Types, connection: t.Dict[str, t.Any],
                 check_mode: bool, parallel: int, limit: t.Optional[t.List[str]] = None,
                 secrets: t.Optional[t.Dict[str, t.Any]] = None, ids: t.Optional[t.Set[str]] = None,
                 clock: Clock = REAL_TIME) -> None:
        self.items = items
        self.types = types
        self.connection = connection
        self.check_mode = check_mode
        self.parallel = max(1, parallel)
        # The user's selection (ids, types, groups, app names), or a selection already resolved to exact ids: an id
        # list must not pick more through a group or an app name that happens to be spelt like one of its ids.
        self.limit = limit
        self.ids = ids
        self.secrets = secrets or {}
        self.clock = clock
        # ${secrets.NAME} resolves to a value of the module's no_log `secrets` option.
        self.states: t.Dict[str, t.Dict[str, t.Any]] = {SECRETS: self.secrets}
        # Check mode: the changes predicted so far, for the items that refer to them; and a teardown's dependants.
        self.cascade = Cascade()
        self.reverse: t.Dict[str, t.Set[str]] = {}
        self.results: t.Dict[str, ItemResult] = {}
        self.no_log_values: t.Set[str] = set()
        self.read_failures: t.Dict[str, str] = {}
        # States read ahead, each handed to its item's converge once; and whether the plan has changed anything since.
        self.ahead: t.Dict[str, t.Optional[t.Dict[str, t.Any]]] = {}
        self.wrote = False
        # Reading what to delete: references to resources already gone resolve leniently (see resolve).
        self.lenient = False
        # The sentence of a provider that no call can reach: the run stops with it, once, instead of failing every item.
        self.stopped: t.Optional[str] = None
        self._clients: t.Dict[int, t.Any] = {}
        self._lock = threading.Lock()

    # -- per item
    def build(self, item: Item) -> Resource:
        # An item that is only read needs what locates it, not its content: a secret the run was not given is no obstacle.
        return self.instance(item, resolve(item.params, self.states, item.id, self.lenient or not self.selected(item)))

    def instance(self, item: Item, params: t.Dict[str, t.Any]) -> Resource:
        kind = self.types[item.type]
        # The run's connection fills the options of the type that the item leaves unset (docker_image takes the AWS
        # ones, for an ECR login): their defaults would hide it.
        shared = {option: value for option, value in self.connection.items() if option in kind.argument_spec and option not in params}
        validated = ArgumentSpecValidator(kind.argument_spec, **kind.validation).validate(dict(shared, **params))
        with self._lock:
            self.no_log_values.update(validated._no_log_values)  # pylint: disable=protected-access
        if validated.error_messages:
            raise PlanError("Resource %s (%s) has invalid parameters: %s."
                            % (item.id, item.type, "; ".join(validated.error_messages)))
        resource = kind(None, dict(self.connection, **validated.validated_parameters))
        resource.client = self.client(kind.provider)
        resource.clock = self.clock
        return resource

    def client(self, provider: t.Any) -> t.Any:
        """One connection per provider for the whole plan, made when the first item needs it."""
        with self._lock:
            if id(provider) not in self._clients:
                self._clients[id(provider)] = provider.connect(self.connection)
            return self._clients[id(provider)]

    def converge_item(self, item: Item, present: bool) -> ItemResult:
        resource: t.Optional[Resource] = None
        try:
            if self.check_mode and present and self.cascade.in_new_place(self.types[item.type], whole_references(item.params)):
                return self.predicted_creation(item)
            item = self.refreshed(item)
            renewed = self.cascade.renewed_options({key: list(references(value)) for key, value in item.params.items()}, self.states)
            if self.check_mode:
                item = dataclasses.replace(item, params=with_placeholders(
                    item.params, lambda item_id, path: self.cascade.unresolved((item_id, path), self.states)))
            if not self.lenient and not self.selected(item) and self.absent_dependencies(item):
                # Only read on the way up, and what it lives in or refers to does not exist (yet): nor does it. (The
                # reads before a teardown still try: a leftover that refers to something gone must be found.)
                return self.not_read(item)
            resource = self.build(item)
            first_read = self.read_ahead_for(item)
            if self.selected(item):
                wants = present and self.types[item.type].present(resource.params)
                resource.deleted_first = self.cascade.deleted_first(self.reverse.get(item.id, ()))
                outcome = converge(resource, present=wants, check_mode=self.check_mode,
                                   wait=bool(resource.params.get("wait")), wait_timeout=resource.params.get("wait_timeout") or 0,
                                   is_transient=transient_check(self.types[item.type].provider), clock=self.clock,
                                   first_read=first_read)
                if self.check_mode and outcome.action == DELETE:
                    self.cascade.deleted_names[item.id] = resource.name
                outcome = escalated(resource, outcome, renewed)
            else:
                current = (first_read or resource.read)()
                outcome = Outcome(False, "none", [], resource.public(current) if current else None, {})
            return ItemResult(item.id, item.type, OK, outcome)
        except ResourceError as error:
            return ItemResult(item.id, item.type, FAILED, msg=error.msg)
        except Exception as error:  # pylint: disable=broad-except
            self.stop_if_unreachable(self.types[item.type].provider, error)
            return ItemResult(item.id, item.type, FAILED, msg=self.error_text(item, error, resource))

    def error_text(self, item: Item, error: Exception, resource: t.Optional[Resource]) -> str:
        """An SDK error as its provider words it, any other as what it is."""
        explained = self.types[item.type].provider.explain(error, resource) if resource is not None else None
        return explained.msg if explained else "unexpected %s: %s" % (type(error).__name__, error)

    def stop_if_unreachable(self, provider: t.Any, error: BaseException) -> None:
        sentence = getattr(provider, "unreachable", lambda _error, _params: None)(error, self.connection)
        if sentence:
            with self._lock:
                self.stopped = self.stopped or sentence

    def connect_providers(self) -> None:
        """Connect to every provider the items use before converging any: a connection that cannot be made (credentials,
        region, endpoint, daemon) fails the run once, not each item."""
        for provider in {id(kind.provider): kind.provider for kind in (self.types[item.type] for item in self.items)}.values():
            self.client(provider)

    def selected(self, item: Item) -> bool:
        """Whether the plan converges the item; the others are only read."""
        return item.id in self.ids if self.ids is not None else selected(item, self.limit)

    def absent_dependencies(self, item: Item) -> t.List[str]:
        return sorted(dependency for dependency in item.depends_on if not self.states.get(dependency))

    def not_read(self, item: Item) -> ItemResult:
        return ItemResult(item.id, item.type, OK, Outcome(False, "none", [], None, {}),
                          msg="not read: %s is absent" % ", ".join(self.absent_dependencies(item)))

    def refreshed(self, item: Item) -> Item:
        """The item with its type's refresh options when an item of its refresh_on changes (or would, in check mode)."""
        if not self.selected(item) or not any(changing(self.results.get(other)) for other in item.refresh_on):
            return item
        return dataclasses.replace(item, params=dict(item.params, **self.types[item.type].refresh))

    def predicted_creation(self, item: Item) -> ItemResult:
        """In check mode, an item that lives in one that would be created would itself be created."""
        label = "%s %s" % (item.type, item.params.get("name", item.id))
        diff = {"before": {"state": "absent"}, "after": {"state": "present"}, "before_header": label, "after_header": label}
        return ItemResult(item.id, item.type, OK, Outcome(True, CREATE, [], {}, diff))

    def record(self, result: ItemResult) -> None:
        self.results[result.id] = result
        # A failure may have come after a write.
        self.wrote = self.wrote or (not self.check_mode and (result.status == FAILED or bool(result.outcome and result.outcome.changed)))
        if result.outcome is not None:
            self.states[result.id] = result.outcome.state or {}
            if self.check_mode:
                self.cascade.remember(result.id, self.types[result.type], result.outcome.action)

    # -- whole plan
    def in_scope(self) -> t.List[Item]:
        """The selected items and, transitively, what they depend on: a limited run neither changes nor reads the rest
        (no calls for them, and no need for the secrets they name)."""
        by_id = {item.id: item for item in self.items}
        wanted: t.Set[str] = set()
        pending = [item.id for item in self.items if self.selected(item)]
        while pending:
            key = pending.pop()
            if key not in wanted:
                wanted.add(key)
                pending.extend(by_id[key].depends_on)
        return [item for item in self.items if item.id in wanted]

    def up(self) -> t.List[ItemResult]:
        self.items = self.in_scope()
        self.connect_providers()
        self.read_ahead()
        self.halt_if_stopped()
        if self.refused_before_any_change():
            return self.ordered_results()
        self.run(lambda item: item.depends_on, lambda item: self.converge_item(item, present=True))
        return self.ordered_results()

    def down(self) -> t.List[ItemResult]:
        """Read what is in scope in dependency order (to resolve references), then delete dependants first."""
        self.items = self.in_scope()
        self.connect_providers()
        reads = Plan(self.items, self.types, self.connection, self.check_mode, self.parallel, secrets=self.secrets, ids=set(),
                     clock=self.clock)
        reads._clients = self._clients  # pylint: disable=protected-access
        reads.lenient = self.lenient = True
        # Every item is tried, even after a dependency could not be read: a content reference may still resolve.
        reads.run(lambda item: item.depends_on, lambda item: reads.converge_item(item, present=True), blocking=())
        self.states = reads.states
        self.read_failures = {key: result.msg or "" for key, result in reads.results.items() if result.status != OK}
        self.no_log_values |= reads.no_log_values
        reverse = self.reverse = dependants(self.items)
        # An item that could not be read does not block deleting what it depends on.
        self.run(lambda item: reverse[item.id], self.delete_item, blocking=(FAILED,))
        # Listed in an order the deletes can take (dependants first), so that a preview reads as the teardown goes.
        return self.ordered_results()[::-1]

    # -- reading ahead
    def read_ahead(self) -> None:
        """Read the items of types that can be read ahead, in parallel: each as soon as what locates it was read. The
        items of a type that reads many at once are read in one batch, when none of them may still become locatable."""
        pending = [item for item in self.items if reads_ahead(self.types[item.type])]
        running: t.Dict[concurrent.futures.Future[t.Dict[str, t.Optional[t.Dict[str, t.Any]]]], t.Set[str]] = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.parallel) as pool:
            while True:
                if self.stopped:  # a provider that cannot be reached: nothing more is read
                    pending = []
                    running = {future: ids for future, ids in running.items() if not future.cancel()}
                ready = self.batch_ready(pending, {item.id for item in pending}.union(*running.values()), bool(running))
                pending = [item for item in pending if item not in ready]
                for group in batches(ready, self.types):
                    running[pool.submit(self.read_together, group)] = {item.id for item in group}
                if not running:
                    return
                finished, _rest = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in finished:
                    del running[future]
                    self.ahead.update(future.result())

    def refused_before_any_change(self) -> bool:
        """Ask every item read ahead what only a read can refuse (``preflight``): when one refuses, it fails and no item
        converges, so nothing of the run has changed. An item whose options refer to what was not read is asked as it
        converges."""
        refused = [result for result in map(self.preflight, self.items) if result is not None]
        for result in refused:
            self.record(result)
        for item in self.items if refused else []:
            if item.id not in self.results:
                self.record(ItemResult(item.id, item.type, SKIPPED, msg="not attempted: a check before any change failed"))
        return bool(refused)

    def preflight(self, item: Item) -> t.Optional[ItemResult]:
        """The failure of an item its type refuses before anything changes, or None: what its ``preflight`` reads (the
        options it names resolved, the others as written) and, when every option resolves from what was read ahead, a
        declared refusal (a replacement of something in use). The current state is the one read ahead, or none when
        what locates the item is absent (it is new). Any other item is asked as it converges."""
        kind = self.types[item.type]
        options = getattr(kind, "preflight_options", ())
        if not (options or kind.refusals) or not self.selected(item) or not kind.present(item.params):
            return None
        located = {key: self.ahead.get(key, self.states.get(key)) for key in locator_ids(item, kind)} if reads_ahead(kind) else {}
        if item.id not in self.ahead and not any(state is None for state in located.values()):
            return None
        states, wanted = dict(self.ahead, **self.states), {option: item.params[option] for option in options if option in item.params}
        for params, whole in ((item.params, True), (wanted, False)):
            try:
                resource = self.instance(item, dict(item.params, **resolve(params, states, item.id)))
                break
            except ResourceError:
                continue
        else:
            return None
        try:
            current = self.ahead.get(item.id)
            problems = resource.preflight(current) + (refusal_problems(resource, current) if whole else [])
        except Exception as error:  # pylint: disable=broad-except
            problems = [self.error_text(item, error, resource)]
        return ItemResult(item.id, item.type, FAILED, msg=" ".join(problems)) if problems else None

    def batch_ready(self, pending: t.List[Item], unread: t.Set[str], reading: bool) -> t.List[Item]:
        """The pending items whose locators were read, but not those of a type that reads many at once while another
        of its items may still become locatable (unless nothing is being read: then nothing would change)."""
        def locators(item: Item) -> t.Set[str]:
            return locator_ids(item, self.types[item.type])

        ready = [item for item in pending if all(self.ahead.get(key) for key in locators(item))]
        waiting = {item.type for item in pending if item not in ready and reads_many(self.types[item.type])
                   and all(self.ahead.get(key) or key in unread for key in locators(item))}
        held = [item for item in ready if item.type in waiting]
        return [item for item in ready if item not in held] or ([] if reading else held)

    def read_together(self, items: t.List[Item]) -> t.Dict[str, t.Optional[t.Dict[str, t.Any]]]:
        """The states of items of one type by id, from one batch read (or the read of one item); none when it fails
        (each item then reads, and reports the failure, in its converge)."""
        resources: t.Dict[str, Resource] = {}
        for item in items:
            try:
                resources[item.id] = self.locatable(item)
            except ResourceError:
                continue  # converging it will say what is wrong
        if not resources:
            return {}
        read = getattr(self.types[items[0].type], "read_batch", lambda alone: [resource.read() for resource in alone])
        try:
            states = read(list(resources.values()))
        except Exception as error:  # pylint: disable=broad-except
            self.stop_if_unreachable(self.types[items[0].type].provider, error)
            return {}
        return dict(zip(resources, states))

    def locatable(self, item: Item) -> Resource:
        """The item with the options that locate it resolved from the states read ahead, the others as written: its
        type's read needs no more."""
        locator = {option: item.params[option] for option in self.types[item.type].locator if option in item.params}
        return self.instance(item, dict(item.params, **resolve(locator, dict(self.ahead, **self.states), item.id)))

    def read_ahead_for(self, item: Item) -> t.Optional[t.Callable[[], t.Optional[t.Dict[str, t.Any]]]]:
        """The item's first read, when it was read ahead and nothing has changed since (a change may have changed it
        too): handed out once; any later read asks the provider."""
        if item.id not in self.ahead:
            return None
        state = self.ahead.pop(item.id)
        return None if self.wrote else (lambda: state)

    def delete_item(self, item: Item) -> ItemResult:
        if item.id in self.states and not self.states[item.id]:
            return ItemResult(item.id, item.type, OK, Outcome(False, "none", [], None, {}))
        if item.id in self.states:
            return self.converge_item(item, present=False)
        if self.absent_dependencies(item):
            # It could not be read because what it lives in is gone, so it is gone too.
            return self.not_read(item)
        return ItemResult(item.id, item.type, FAILED, msg="could not be read: %s" % self.read_failures.get(item.id, ""))

    def run(self, waits_for: t.Callable[[Item], t.Set[str]], work: t.Callable[[Item], ItemResult],
            blocking: t.Tuple[str, ...] = (FAILED, SKIPPED)) -> None:
        """Start each item once the items it waits for are done; skip it when one of them is in `blocking`.

        A provider that cannot be reached stops the run: no item starts after it, and the run fails with its sentence."""
        pending = {item.id: item for item in self.items}
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.parallel) as pool:
            running: t.Dict[concurrent.futures.Future[ItemResult], str] = {}
            while pending or running:
                if self.stopped:  # nothing more starts: the items waiting for a thread are cancelled
                    pending.clear()
                    running = {future: key for future, key in running.items() if not future.cancel()}
                for item in [item for item in pending.values() if waits_for(item) <= set(self.results)]:
                    del pending[item.id]
                    blocked = sorted(other for other in waits_for(item) if self.results[other].status in blocking)
                    if blocked:
                        self.record(ItemResult(item.id, item.type, SKIPPED, msg="%s did not succeed" % ", ".join(blocked)))
                    else:
                        running[pool.submit(work, item)] = item.id
                if running:
                    finished, _rest = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
                    for future in finished:
                        del running[future]
                        self.record(future.result())
        self.halt_if_stopped()

    def halt_if_stopped(self) -> None:
        if self.stopped:
            raise PlanError(self.stopped)

    def ordered_results(self) -> t.List[ItemResult]:
        return [self.results[item.id] for item in self.items if item.id in self.results]


def failure_message(results: t.List[ItemResult]) -> t.Optional[str]:
    failed = [result for result in results if result.status == FAILED]
    if not failed:
        return None
    skipped = [result.id for result in results if result.status == SKIPPED]
    text = "; ".join("resource %s (%s): %s" % (result.id, result.type, (result.msg or "").rstrip(".")) for result in failed)
    if skipped:
        text += "; not attempted because a dependency failed: %s" % ", ".join(skipped)
    return text + "."
