"""Django's Redis cache, with one client object per server kept for the process.

Django builds a new redis.Redis for every cache call; its constructor copies
some 170 response callbacks into a case-insensitive dict, about 0.2 ms, which
was a third of serving a kept page. A client is safe to share between threads
(each command takes a connection from the pool), so one per pool does.
"""

from django.core.cache.backends import redis as django_redis


class _Client(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
