"""Token authentication whose failures are throttled per client address.

Authentication runs before the throttles: once the anonymous quota was spent, a client
sending random ``Authorization: Token …`` headers got a 403 for each, never a 429, and
each one cost a database lookup. Failures are counted per address; past the rate
(``API_THROTTLE_AUTH_FAILURES``) a token is not even looked up: 429 with Retry-After.
"""

from __future__ import annotations

from rest_framework import authentication, exceptions

from claims.api.throttling import FailedAuthenticationThrottle


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        throttle = FailedAuthenticationThrottle()
        wait = throttle.blocked_for(request)
        if wait is not None:
            raise exceptions.Throttled(
                wait=wait, detail="Too many failed authentications from this address."
            )
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure(request)
            raise
