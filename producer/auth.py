"""Bearer JWT (HS256) for the producer API: who is calling and which tenant domains it may touch."""

import time
from dataclasses import dataclass

import jwt


class AuthError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Caller:
    subject: str
    domains: frozenset[str]

    @property
    def sees_all(self) -> bool:
        return "*" in self.domains

    def may_touch(self, domain: str) -> bool:
        return self.sees_all or domain in self.domains


ANONYMOUS_ADMIN = Caller(subject="insecure-no-auth", domains=frozenset({"*"}))


def authenticate(authorization: str | None, secret: str) -> Caller:
    """Verify `Authorization: Bearer <jwt>`; 401 for anything missing, forged, expired or malformed."""
    if not authorization or not authorization.startswith("Bearer "):
        raise AuthError(401, "unauthorized", "missing bearer token")
    token = authorization.removeprefix("Bearer ").strip()
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        raise AuthError(401, "token_expired", "token has expired") from None
    except jwt.PyJWTError:
        raise AuthError(401, "unauthorized", "invalid token") from None
    domains = claims.get("domains")
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise AuthError(401, "unauthorized", "token has no valid 'domains' claim")
    return Caller(subject=str(claims["sub"]), domains=frozenset(domains))


def issue_token(secret: str, subject: str, domains: list[str], ttl_seconds: int = 3600) -> str:
    """For operators and tests: a token with the claims the API expects."""
    now = int(time.time())
    return jwt.encode(
        {"sub": subject, "domains": domains, "iat": now, "exp": now + ttl_seconds}, secret, algorithm="HS256"
    )
