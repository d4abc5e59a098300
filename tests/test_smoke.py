from claims.models import Claim, Source


def test_seeds_load_five_sources_and_sixteen_claims(seeds_loaded):
    assert Source.objects.count() == 5
    assert Claim.objects.count() == 16
