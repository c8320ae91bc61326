# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What RDS resources share: tags by ARN, and final snapshot names."""

from __future__ import annotations

import datetime
import typing as t

from ansible_collections.agno.infra.plugins.module_utils.aws_client import AwsResource, dict_to_tags, tag_changes, tags_to_dict

ENGINES = ("postgres", "mysql", "mariadb", "aurora-postgresql", "aurora-mysql", "oracle-ee", "oracle-ee-cdb", "oracle-se2",
           "oracle-se2-cdb", "sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web", "db2-se", "db2-ae")


def final_snapshot_name(identifier: str, now: t.Optional[datetime.datetime] = None) -> str:
    """<identifier>-final-YYYYmmddHHMMSS, within RDS's 255-character limit."""
    stamp = (now or datetime.datetime.now(datetime.timezone.utc)).strftime("%Y%m%d%H%M%S")
    return ("%s-final-%s" % (identifier, stamp))[-255:]


class RdsResource(AwsResource):
    """An RDS object whose tags are managed through its ARN."""

    def read_tags(self, arn: str) -> t.Dict[str, str]:
        return tags_to_dict(self.client("rds").list_tags_for_resource(ResourceName=arn).get("TagList"))

    def sync_tags(self, arn: str, current: t.Dict[str, str], desired: t.Dict[str, str]) -> None:
        rds = self.client("rds")
        to_set, to_remove = tag_changes(current, desired, self.params["purge_tags"])
        if to_set:
            rds.add_tags_to_resource(ResourceName=arn, Tags=dict_to_tags(to_set))
        if to_remove:
            rds.remove_tags_from_resource(ResourceName=arn, TagKeys=to_remove)
