"""Security headers on every response: what a browser may load, frame, sniff and refer."""

from flask import Flask, Response

# The pages load their stylesheet and script from this server, draw pictures as inline SVG and
# post the query form to themselves; nothing inline runs, nothing comes from elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Query pages carry the query in their address: it goes to no other site.
    "Referrer-Policy": "same-origin",
}


def _secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    """Add the security headers to every response of `app`."""
    app.after_request(_secure)
