import pytest

from lib.targets import Refused, check


@pytest.mark.parametrize(
    "url",
    [
        "json://127.0.0.1:8080/hook",  # loopback
        "ntfy://10.0.0.5/topic",  # private
        "jsons://169.254.169.254/latest",  # cloud metadata (link-local)
        "ntfy://[::1]/topic",  # IPv6 loopback
        "gotify://192.168.1.10/token",  # private
        "http://93.184.216.34/",  # not an allowed scheme
        "file:///etc/passwd",
        "ftp://93.184.216.34/",
        "not a url",
    ],
)
def test_private_local_and_unknown_targets_are_refused(url):
    with pytest.raises(Refused):
        check(url)


@pytest.mark.parametrize(
    "url",
    [
        "ntfy://93.184.216.34/mytopic",
        "tgram://123456:ABCDEF/12345",
    ],
)
def test_public_servers_and_fixed_services_are_accepted(url):
    assert check(url) == url


def test_an_operator_may_allow_their_own_network():
    assert check("json://127.0.0.1:8080/hook", allow_private=True)
