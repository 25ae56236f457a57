"""A table's settings outside ``UpdateTable``: time to live, tags and its
resource-based policy (the last two addressed by the table's ARN)."""

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from ..codec.answers import required
from ..codec.settings import policy_text, tag_keys, tag_list
from .core import ServiceCore, error_code
from .public import operation
from .steps import AllPages, Call, Steps

NO_POLICY = "PolicyNotFoundException"


class TableSettingOperations(ServiceCore):
    """Time to live, tags and resource policies of a table. ``table_name``
    None means the configured default table, as everywhere."""

    @operation
    def enable_ttl(
        self, attribute_name: str, table_name: str | None = None
    ) -> Steps[None]:
        """Turn on time to live, expiring items by an epoch-seconds attribute.

        Example:
            >>> service.enable_ttl("expires_at")
            >>> service.describe_table().ttl_attribute
            'expires_at'

        Args:
            attribute_name: The attribute holding each item's expiry time.
            table_name: Target table; defaults to the configured table.

        Raises:
            ValueError: If no table is named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses the change.
        """
        table = self._resolve_table(table_name)
        request = self._validated(
            "UpdateTimeToLive",
            {
                "TableName": table,
                "TimeToLiveSpecification": {
                    "Enabled": True,
                    "AttributeName": attribute_name,
                },
            },
        )
        self.log.debug("Enabling TTL on %s by attribute %s", table, attribute_name)
        with self._failure_logged("enable_ttl", table):
            yield Call("UpdateTimeToLive", request, table_operation=True)
        self.log.info("Enabled TTL on %s by attribute %s", table, attribute_name)

    @operation
    def table_tags(self, table_name: str | None = None) -> Steps[dict[str, str]]:
        """A table's tags, every page of them.

        Example:
            >>> service.tag_table("orders", {"team": "billing"})
            >>> service.table_tags("orders")
            {'team': 'billing'}

        Args:
            table_name: The table; defaults to the configured table.

        Returns:
            Tag key to value.

        Raises:
            ValueError: If no table is named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses, e.g.
                ``ResourceNotFoundException`` for an unknown table.
        """
        table = self._resolve_table(table_name)
        self.log.debug("Listing tags of table %s", table)
        with self._failure_logged("table_tags", table):
            arn = yield from self._table_arn(table)
            pages = yield AllPages("ListTagsOfResource", {"ResourceArn": arn})
        tags = {
            tag["Key"]: tag["Value"] for page in pages for tag in page.get("Tags", ())
        }
        self.log.info("Listed %d tags of table %s", len(tags), table)
        return tags

    @operation
    def tag_table(self, table_name: str | None, tags: Mapping[str, str]) -> Steps[None]:
        """Add tags to a table, or change their values.

        Example:
            >>> service.tag_table("orders", {"team": "billing", "tier": "gold"})
            >>> sorted(service.table_tags("orders"))
            ['team', 'tier']

        Args:
            table_name: The table; None for the configured table.
            tags: Tag key to value (strings); at least one.

        Raises:
            TypeError: If ``tags`` is not a mapping of strings to strings.
            ValueError: If ``tags`` is empty, or no table is named and no
                default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses the tags.
        """
        table = self._resolve_table(table_name)
        listed = tag_list(tags)
        self.log.debug("Tagging table %s with %d tags", table, len(listed))
        with self._failure_logged("tag_table", table):
            arn = yield from self._table_arn(table)
            yield from self._sent("TagResource", {"ResourceArn": arn, "Tags": listed})
        self.log.info("Tagged table %s with %d tags", table, len(listed))

    @operation
    def untag_table(self, table_name: str | None, keys: Sequence[str]) -> Steps[None]:
        """Remove tags from a table (keys it does not have are ignored).

        Example:
            >>> service.tag_table("orders", {"team": "billing", "tier": "gold"})
            >>> service.untag_table("orders", ["tier"])
            >>> service.table_tags("orders")
            {'team': 'billing'}

        Args:
            table_name: The table; None for the configured table.
            keys: The tag keys to remove; at least one.

        Raises:
            TypeError: If ``keys`` is not a sequence of strings.
            ValueError: If ``keys`` is empty, or no table is named and no
                default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses.
        """
        table = self._resolve_table(table_name)
        removed = tag_keys(keys)
        self.log.debug("Untagging table %s: %d keys", table, len(removed))
        with self._failure_logged("untag_table", table):
            arn = yield from self._table_arn(table)
            params = {"ResourceArn": arn, "TagKeys": removed}
            yield from self._sent("UntagResource", params)
        self.log.info("Untagged table %s: %d keys", table, len(removed))

    @operation
    def put_table_policy(
        self, table_name: str | None, policy: str | Mapping[str, Any]
    ) -> Steps[None]:
        """Attach a resource-based policy to a table, replacing any.

        Example:
            >>> service.put_table_policy("orders", {
            ...     "Version": "2012-10-17",
            ...     "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
            ...                    "Principal": {"AWS": "123456789012"},
            ...                    "Resource": "*"}],
            ... })
            >>> '"dynamodb:GetItem"' in service.table_policy("orders")
            True

        Args:
            table_name: The table; None for the configured table.
            policy: The policy: a JSON document, or a mapping sent as one.

        Raises:
            TypeError: If ``policy`` is neither a string nor a mapping.
            ValueError: If ``policy`` is an empty string, or no table is
                named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses the policy.
        """
        table = self._resolve_table(table_name)
        text = policy_text(policy)
        self.log.debug("Putting the policy of table %s", table)
        with self._failure_logged("put_table_policy", table):
            arn = yield from self._table_arn(table)
            params = {"ResourceArn": arn, "Policy": text}
            yield from self._sent("PutResourcePolicy", params)
        self.log.info("Put the policy of table %s", table)

    @operation
    def table_policy(self, table_name: str | None = None) -> Steps[str | None]:
        """A table's resource-based policy.

        Example:
            >>> service.table_policy("orders") is None
            True

        Args:
            table_name: The table; defaults to the configured table.

        Returns:
            The policy's JSON document, or None when the table has none.

        Raises:
            ValueError: If no table is named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses, e.g.
                ``ResourceNotFoundException`` for an unknown table.
        """
        table = self._resolve_table(table_name)
        self.log.debug("Reading the policy of table %s", table)
        with self._failure_logged("table_policy", table):
            arn = yield from self._table_arn(table)
            try:
                answer = yield Call(
                    "GetResourcePolicy", {"ResourceArn": arn}, table_operation=True
                )
            except ClientError as error:
                if error_code(error) != NO_POLICY:
                    raise
                answer = {}  # the answer asked for: no policy, no ERROR line
        policy = answer.get("Policy")
        self.log.info("Read the policy of table %s: %s", table, _found(policy))
        return policy if isinstance(policy, str) else None

    @operation
    def delete_table_policy(self, table_name: str | None = None) -> Steps[None]:
        """Remove a table's resource-based policy.

        Example:
            >>> service.put_table_policy("orders", {"Version": "2012-10-17",
            ...     "Statement": [{"Effect": "Deny", "Action": "dynamodb:*",
            ...                    "Principal": "*", "Resource": "*"}]})
            >>> service.delete_table_policy("orders")
            >>> service.table_policy("orders") is None
            True

        Args:
            table_name: The table; defaults to the configured table.

        Raises:
            ValueError: If no table is named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses, e.g.
                ``PolicyNotFoundException`` when the table has none.
        """
        table = self._resolve_table(table_name)
        self.log.debug("Deleting the policy of table %s", table)
        with self._failure_logged("delete_table_policy", table):
            arn = yield from self._table_arn(table)
            yield from self._sent("DeleteResourcePolicy", {"ResourceArn": arn})
        self.log.info("Deleted the policy of table %s", table)

    def _table_arn(self, table: str) -> Steps[str]:
        """The table's ARN: remembered, or asked of ``DescribeTable``."""
        known = self._table_arns.get(table)
        if known is not None:
            return known
        answer = yield Call("DescribeTable", {"TableName": table}, table_operation=True)
        self._remember_described(table, answer)
        described = required(answer, "Table", "DescribeTable")
        return str(required(described, "TableArn", "DescribeTable"))

    def _sent(self, operation_name: str, params: dict[str, Any]) -> Steps[None]:
        """A table call, checked against DynamoDB's model first."""
        yield Call(
            operation_name,
            self._validated(operation_name, params),
            table_operation=True,
        )


def _found(policy: object) -> str:
    return "none" if policy is None else "found"
