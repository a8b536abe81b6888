from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-02T17:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Delivery keys in plain ASCII; a warning's key no longer names when it opened"


class Delivery(Table, tablename="delivery"):
    pass


# Printable ASCII but for the space: what a key may hold as it is.
_PLAIN = "'^[!-~]*$'"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def create():
        # An address or URL in a key, percent-encoded where it is not printable ASCII (UTF-8
        # bytes, upper-case hex: "anna@härryda.se" → "anna@h%C3%A4rryda.se"), so the key travels
        # unchanged in the X-Samverkan-Delivery header of an e-mail or a webhook call. A plain
        # ASCII text (nearly every address) is returned as it is, so existing keys keep matching.
        await Delivery.raw(
            f"""
            CREATE FUNCTION delivery_key_text(text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT CASE WHEN $1 ~ {_PLAIN} THEN $1 ELSE (
                    SELECT string_agg(CASE WHEN c ~ {_PLAIN} THEN c ELSE upper(regexp_replace(
                        encode(convert_to(c, 'UTF8'), 'hex'), '(..)', '%\\1', 'g')) END, '' ORDER BY i)
                    FROM regexp_split_to_table($1, '') WITH ORDINALITY AS x(c, i)) END
            $$
            """
        )
        # Existing keys in the new form, so nothing already sent is sent again: warnings without
        # their opened_at (of a warning reopened, the latest row takes the key), and non-ASCII
        # keys encoded.
        await Delivery.raw(
            r"""
            WITH renamed AS (
                SELECT id, delivery_key_text(regexp_replace(
                    key, '^(warning:[0-9]+:)[0-9-]+T[0-9:.]+Z:', '\1')) AS new_key
                FROM delivery
            ), chosen AS (
                SELECT DISTINCT ON (new_key) id, new_key FROM renamed ORDER BY new_key, id DESC
            )
            UPDATE delivery d SET key = chosen.new_key
            FROM chosen
            WHERE d.id = chosen.id AND d.key <> chosen.new_key
              AND NOT EXISTS (SELECT 1 FROM delivery x WHERE x.key = chosen.new_key)
            """
        )

    async def drop():
        await Delivery.raw("DROP FUNCTION delivery_key_text(text)")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
