from rest_framework.pagination import PageNumberPagination as _Base


class PageNumberPagination(_Base):
    pass
