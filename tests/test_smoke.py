from claims.models import Claim, Source


def test_seeds_load_five_sources_and_their_claims(seeds_loaded):
    assert Source.objects.count() == 5
    assert Claim.objects.filter(kind="direct").count() == 16
    assert Claim.objects.filter(kind="indirect").count() == 24
    # Kept for a curator to name: reported statements of anonymous sources.
    assert Claim.objects.filter(speaker=None).count() == 4
