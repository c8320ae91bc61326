# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every AWS module, the tags options, and the name and tags of EC2 objects."""

    DOCUMENTATION = r"""
options:
  region:
    description:
      - AWS region, for example C(us-east-1). Validated against the regions botocore knows.
      - Falls back to E(AWS_REGION), then E(AWS_DEFAULT_REGION).
    type: str
    aliases: [aws_region]
  profile:
    description:
      - Named profile from the AWS shared configuration files.
      - Falls back to E(AWS_PROFILE).
    type: str
    aliases: [aws_profile]
  endpoint_url:
    description:
      - URL of the AWS API endpoint, for a private endpoint or a local emulator such as moto.
      - Falls back to E(AWS_ENDPOINT_URL). An empty value is no value (AWS's own endpoints); a value that is not an
        C(http://) or C(https://) URL with a host and a valid port fails before any call.
    type: str
    aliases: [aws_endpoint_url]
  access_key:
    description:
      - AWS access key id.
      - Falls back to E(AWS_ACCESS_KEY_ID).
    type: str
    aliases: [aws_access_key_id]
  secret_key:
    description:
      - AWS secret access key. Never logged or returned.
      - Falls back to E(AWS_SECRET_ACCESS_KEY).
    type: str
    aliases: [aws_secret_access_key]
  session_token:
    description:
      - Session token of temporary credentials. Never logged or returned.
      - Falls back to E(AWS_SESSION_TOKEN), then the legacy E(AWS_SECURITY_TOKEN) that older AWX releases inject.
    type: str
    aliases: [aws_session_token]
  assume_role_arn:
    description: ARN of an IAM role to assume (through STS) before managing the resource.
    type: str
  assume_role_session_name:
    description: Session name used when assuming O(assume_role_arn).
    type: str
    default: agno-infra
  assume_role_external_id:
    description: External id required by the trust policy of O(assume_role_arn).
    type: str
  max_attempts:
    description:
      - Attempts per API call; throttling, HTTP 5xx and connection errors are retried with exponential backoff.
      - An endpoint that refuses connections or whose host name does not resolve gets two attempts, then the whole run
        fails with one sentence.
    type: int
    default: 10
requirements:
  - botocore >= 1.31
notes:
  - Credentials are looked up as botocore does when no option gives them (environment, shared files, instance role).
  - API errors fail the task with one sentence that names the call, the resource and the fix.
  - A key, secret key or session token with a space, a line break or another character no AWS credential has fails
    before any call, with a sentence that names the field and never its value.
"""

    TAGS = r"""
options:
  tags:
    description:
      - Tags of the resource. When not set, the tags are left alone.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description:
      - Remove tags that are not in O(tags). Tags whose key starts with C(aws:) are never removed.
    type: bool
    default: true
"""

    EC2 = r"""
options:
  name:
    description:
      - Value of the C(Name) tag that identifies the object; EC2 names are tags, not identifiers.
      - Two objects of the kind with this Name tag make the task fail, naming both ids.
    type: str
    required: true
  tags:
    description:
      - Tags besides C(Name), which always holds O(name). When not set, the tags of an existing object are left alone.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description:
      - Remove the tags that are not in O(tags), except C(Name) and the keys that start with C(aws:).
    type: bool
    default: true
"""
