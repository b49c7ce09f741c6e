from ca_desktop.domain.attachment_names import (
    MAX_NAME,
    clean_file_name,
    is_sha256,
    opens_directly,
)


def test_only_64_lowercase_hex_digits_are_a_hash() -> None:
    assert is_sha256("a" * 64)
    for bad in ("A" * 64, "a" * 63, "a" * 65, "./../keys/device-keys.json", "/etc/passwd",
                "g" * 64, None, 12, "a" * 63 + "\n"):  # fmt: skip
        assert not is_sha256(bad)


def test_names_lose_separators_controls_and_bidi() -> None:
    assert clean_file_name("../../keys/device-keys.json") == "_.._keys_device-keys.json"
    assert clean_file_name("C:\\Windows\\evil.bat") == "C__Windows_evil.bat"
    assert clean_file_name("photo\u202egpj.exe") == "photogpj.exe"
    assert clean_file_name("a\x00b\x1b[2Jc.jpg") == "ab[2Jc.jpg"
    assert clean_file_name(".bashrc") == "bashrc"
    assert clean_file_name("  ...  ") == "attachment"
    assert clean_file_name("CON.txt") == "_CON.txt"
    assert clean_file_name("Réunion à Kisenyi.jpg") == "Réunion à Kisenyi.jpg"


def test_long_names_keep_their_extension() -> None:
    name = clean_file_name("x" * 500 + ".jpeg")
    assert len(name) == MAX_NAME and name.endswith(".jpeg")


def test_only_images_pdfs_and_office_documents_open_directly() -> None:
    for ok in ("site.JPG", "report.pdf", "budget.xlsx", "minutes.docx", "notes.txt"):
        assert opens_directly(ok)
    for bad in ("setup.exe", "run.bat", "x.ps1", "x.sh", "x.js", "x.vbs", "x.lnk",
                "x.html", "x.docm", "x.xlsm", "x.jar", "x.msi", "x.scr", "README", "x.py"):  # fmt: skip
        assert not opens_directly(bad)
