"""The Redis cache keeps one client per pool and still works as Django's."""

import threading
import uuid

from lib.redis_cache import FastRedisCache

REDIS_DB = "redis://127.0.0.1:6379/14"


def _cache() -> FastRedisCache:
    return FastRedisCache(REDIS_DB, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_reads_and_writes_like_djangos_through_one_client():
    cache = _cache()
    cache.set("session:abc", {"person": 7}, 30)
    assert cache.get("session:abc") == {"person": 7}
    assert cache.get_many(["session:abc", "none"]) == {"session:abc": {"person": 7}}
    # Any key Redis takes, spaces included, which Django's check would warn about.
    cache.set("a key with spaces", 1, 30)
    assert cache.incr("a key with spaces") == 2
    cache.delete_many(["session:abc", "a key with spaces"])
    assert cache.get("session:abc") is None
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client


def test_threads_share_the_client_safely():
    cache = _cache()
    failures = []

    def work(n: int) -> None:
        for i in range(50):
            cache.set(f"k{n}-{i}", i, 30)
            if cache.get(f"k{n}-{i}") != i:
                failures.append((n, i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    cache.delete_many([f"k{n}-{i}" for n in range(8) for i in range(50)])
