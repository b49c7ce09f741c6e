"""Three states of this laptop's changes: not exported, waiting for receipt, received."""

from __future__ import annotations

from sync_helpers import PROGRAMME, Laptop, activity

from ca_desktop.sync.send_state import send_state


def test_export_waits_for_the_receipt_then_is_received(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    assert send_state(amina.app).state == "nothing"
    pid = amina.app.save("programme", PROGRAMME).id
    amina.app.save("activity", activity(pid))
    before = send_state(amina.app)
    assert before.state == "not_exported" and before.unexported == 2
    path = amina.send(coord)
    waiting = send_state(amina.app)
    assert waiting.state == "waiting" and waiting.unsent == 2 and waiting.unexported == 0
    assert waiting.bundle_name == path.name and waiting.exported_at
    coord.receive(path)
    assert amina.receive(coord.send(amina)).status == "imported"
    assert send_state(amina.app).state == "received"
    amina.app.save("activity", activity(pid, title="Second forum"))
    after = send_state(amina.app)
    assert after.state == "not_exported" and after.unexported == 1
