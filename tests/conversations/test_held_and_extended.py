"""A held conversation reads as held; HR extends an open round and is warned of doubles."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from devtrack.i18n import today_in_denmark
from tests.conftest import Org, post
from tests.conversations.test_conversations import _client, _conversation, _open_round


def test_a_held_conversation_shows_as_held_not_booked(client: FlaskClient, grundlag: Org) -> None:
    org = grundlag
    round_id = _open_round(_client(client, org.hr), org)
    path = f"/samtaler/{_conversation(round_id, org.employee).id}"
    leader = _client(client, org.own_leader)
    day = (today_in_denmark() + timedelta(days=3)).isoformat()
    assert post(leader, f"{path}/book", {"day": day, "time": "09:00"}).status_code == 302
    assert "Samtalen er booket til" in leader.get(path).text
    assert post(leader, f"{path}/afholdt").status_code == 302
    for who in (leader, _client(client, org.employee)):
        page = who.get(path).text
        assert "Samtalen er holdt" in page
        assert "booket til" not in page and "Book tid" not in page and "Flyt tid" not in page
    assert "Holdt:" in _client(client, org.employee).get("/samtaler/").text
    # The booking page sends a held conversation back to its page.
    assert leader.get(f"{path}/book").headers["Location"].endswith(path)
