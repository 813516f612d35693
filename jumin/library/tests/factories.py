import factory

from jumin.library.isbn import make13
from jumin.library.models import Book

_n = iter(range(10**6))


class BookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Book

    title = factory.Sequence(lambda n: f"家风故事{n}")
    author = "王明"
    isbn = factory.LazyFunction(lambda: make13(f"978711{next(_n):06d}"))
    copies = 1
    available = factory.SelfAttribute("copies")
    shelf = "A-1"
