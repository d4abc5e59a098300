"""The sort keys the claims list offers: ``?ordering=`` value -> keyset columns (ties on the
first are settled by the id). Read by the FilterSet, which validates the value, and by the
cursor paginator, which sorts on it."""

CLAIM_ORDERINGS: dict[str | None, tuple[str, ...]] = {
    None: ("id",),
    "-id": ("-id",),
    "id": ("id",),
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "-confidence": ("-confidence", "-id"),
    "confidence": ("confidence", "id"),
    "-published": ("-published_sort", "-id"),
    "published": ("published_sort", "id"),
    "-start": ("-start", "-id"),
    "start": ("start", "id"),
}
