"""The signed "handled" link in the AI's e-mail: it opens a confirmation page whose button records when
the request was dealt with. Mail scanners (Outlook Safe Links and the like) open every link they see,
so following the link alone must change nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html

PAGE_CSS = ("body{font-family:Arial,sans-serif;line-height:1.5;color:#1e1e1e;max-width:40rem;margin:2rem auto;"
            "padding:0 1rem}h1{font-size:1.4rem}button{font:inherit;font-weight:700;padding:.6rem 1.2rem;"
            "background:#0b5563;color:#fff;border:0;border-radius:.35rem;cursor:pointer}")


def sign(secret: str, ref: str) -> str:
    digest = hmac.new(secret.encode(), f"handled:{ref}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def verify(secret: str, ref: str, sig: str | None) -> bool:
    # compare_digest refuses non-ASCII text with a TypeError: such a signature is simply wrong.
    return bool(sig) and sig.isascii() and hmac.compare_digest(sign(secret, ref), sig)


def handled_url(base: str, secret: str, ref: str) -> str:
    return f"{base}/traite/{ref}?sig={sign(secret, ref)}"


def page(title: str, paragraphs: list[str], site_name: str, items: list[str] | None = None,
         link: tuple[str, str] | None = None, form: tuple[str, dict[str, str], str] | None = None) -> str:
    """A small self-contained French page (no script, no external resource); every value escaped.

    ``form`` is (action, hidden fields, button label): a POST form with one button.
    """
    esc = html.escape
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    if items:
        body += "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"
    if form:
        action, hidden, label = form
        fields = "".join(f'<input type="hidden" name="{esc(k)}" value="{esc(v)}">' for k, v in hidden.items())
        body += f'<form method="post" action="{esc(action)}">{fields}<button type="submit">{esc(label)}</button></form>'
    if link:
        body += f'<p><a href="{esc(link[0])}">{esc(link[1])}</a></p>'
    return (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)} – {esc(site_name)}</title><style>{PAGE_CSS}</style></head>"
            f"<body><main><h1>{esc(title)}</h1>{body}</main></body></html>")
