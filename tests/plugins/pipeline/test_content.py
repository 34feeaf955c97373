"""The Markdown cache (pipeline.content): a file's reading is reused only under the same key and bytes."""

from __future__ import annotations

from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category
from pipeline.content import ReaderCache, wrap_readers

TEXT = "Title: Une actualité\nCategory: Actualités\nTags: emploi, ménage\n\n« Bonjour » *monde*.\n"


class Readers:
    def __init__(self, settings):
        self.readers = {"md": MarkdownReader(settings)}


def counting(cache: ReaderCache, settings: dict) -> tuple[MarkdownReader, list[str]]:
    readers = Readers(settings)
    reader = readers.readers["md"]
    calls: list[str] = []
    real = reader.read

    def read(path):
        calls.append(path)
        return real(path)

    reader.read = read
    wrap_readers(cache, readers)
    return reader, calls


def settings() -> dict:
    return {**DEFAULT_CONFIG, "MARKDOWN": {**DEFAULT_CONFIG["MARKDOWN"]}}


def read_once(tmp_path, key: str = "key1"):
    """A news file read once through a cache under ``key``, saved: the file, the cache's folder, the reading."""
    source = tmp_path / "news.md"
    source.write_text(TEXT, encoding="utf-8")
    folder = tmp_path / "cache"
    first = ReaderCache(folder, key)
    reader, calls = counting(first, settings())
    content, metadata = reader.read(str(source))
    first.save()
    assert calls == [str(source)]  # a cache of another key, or none, reads the file
    return source, folder, content, metadata


def test_an_unchanged_file_is_not_read_again_and_gives_the_same_result(tmp_path):
    source, folder, content, metadata = read_once(tmp_path)

    later_settings = settings()
    second = ReaderCache(folder, "key1")
    reader, calls = counting(second, later_settings)
    again, metadata_again = reader.read(str(source))
    assert calls == []
    assert again == content
    assert metadata_again.keys() == metadata.keys()
    assert isinstance(metadata_again["category"], Category)
    assert metadata_again["category"].name == "Actualités"
    assert metadata_again["category"].settings is later_settings  # made again with this build's settings
    assert [tag.name for tag in metadata_again["tags"]] == ["emploi", "ménage"]
    assert metadata_again["title"] == metadata["title"]


def test_an_edited_file_is_read_again(tmp_path):
    source, folder, _, _ = read_once(tmp_path)
    source.write_text(TEXT.replace("monde", "tous"), encoding="utf-8")
    second = ReaderCache(folder, "key1")
    reader, calls = counting(second, settings())
    content, _ = reader.read(str(source))
    assert calls == [str(source)]
    assert "tous" in content


def test_another_key_reads_again_and_prunes_the_older_entries(tmp_path):
    """The key digests the build's code and settings: a plugin or a Markdown setting that changes the HTML."""
    source, folder, _, _ = read_once(tmp_path, "old")
    second = ReaderCache(folder, "new")
    reader, calls = counting(second, settings())
    reader.read(str(source))
    second.save()
    assert calls == [str(source)]
    assert sorted(path.name for path in folder.iterdir()) == ["new.pickle"]


def test_nothing_is_written_when_every_file_came_from_the_cache(tmp_path):
    source, folder, _, _ = read_once(tmp_path)
    stamp = (folder / "key1.pickle").stat().st_mtime_ns
    second = ReaderCache(folder, "key1")
    counting(second, settings())[0].read(str(source))
    second.save()
    assert (folder / "key1.pickle").stat().st_mtime_ns == stamp


def test_the_key_changes_with_the_code(monkeypatch, tmp_path):
    import pipeline.plugin as plugin

    settings_ = {**settings(), "CACHE_PATH": str(tmp_path / "cache")}
    keys = []
    for code in ("code-a", "code-b"):
        monkeypatch.setattr(plugin, "code_digest", lambda code=code: code)
        keys.append(plugin.Pipeline(settings_, tmp_path / "output").markdown.key)
    assert keys[0] != keys[1]
