import datetime
from decimal import Decimal

import factory

from jumin.shelf.models import Batch, Category, Product, Supplier

_n = iter(range(10**6))


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        django_get_or_create = ("community", "name")

    name = "渤海义工"


class ProductFactory(factory.django.DjangoModelFactory):
    """A product with `stock` items in one batch (stock and the batch agree, as the services keep them)."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    supplier = factory.SubFactory(SupplierFactory, community=factory.SelfAttribute("..community"))
    name = factory.Sequence(lambda n: f"商品{n}")
    spec = "500 g"
    category = Category.CLEANING
    barcode = factory.LazyFunction(lambda: f"690000{next(_n):07d}")
    factory_price = Decimal("0.92")
    market_price = Decimal("1.30")
    stock = 0

    @factory.post_generation
    def batches(self, create, extracted, **kwargs):
        # extracted: list of (quantity, expires_on) batches; default one batch of `stock`.
        from jumin.core.models import User

        batches = extracted if extracted is not None else ([(self.stock, None)] if self.stock else [])
        from jumin.people.tests.factories import UserFactory

        keeper = User.objects.filter(community_id=self.community_id, role="window_staff").first()
        if keeper is None and batches:
            keeper = UserFactory(role="window_staff", community_id=self.community_id)
        for quantity, expires in batches:
            Batch.objects.create(
                product=self,
                received_on=datetime.date(2026, 1, 1),
                expires_on=expires,
                quantity=quantity,
                remaining=quantity,
                received_by=keeper,
            )
        total = sum(q for q, _ in batches)
        Product.objects.filter(pk=self.pk).update(stock=total)
        self.stock = total
