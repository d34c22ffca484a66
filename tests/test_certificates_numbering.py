"""Certificate numbers: one series per type, jurisdiction and year, gap-free
and unique when many connections issue at once (some of them rolling back),
in the format the type configures."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from approvals.models import CertificateNumberSeries
from approvals.services.certificates import next_number
from stages.models import CertificateType, Jurisdiction

from .factories import load_catalog

ISSUED_ON = datetime.date(2026, 11, 25)


class RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_parallel_connections_take_unique_gap_free_numbers():
    """Eight connections take numbers at once; every third issue fails after
    taking its number and rolls back. The committed numbers are exactly
    1..N: no duplicate, no gap."""
    load_catalog()
    permit = CertificateType.objects.get(code="construction-permit")
    district = Jurisdiction.objects.get(code="341002")
    threads, per_thread = 8, 12
    barrier = threading.Barrier(threads)
    committed, errors = [], []
    lock = threading.Lock()

    def issue(worker):
        try:
            barrier.wait()
            for attempt in range(per_thread):
                try:
                    with transaction.atomic():
                        number = next_number(permit, district, ISSUED_ON)
                        if (worker + attempt) % 3 == 0:
                            raise RolledBack
                    with lock:
                        committed.append(number)
                except RolledBack:
                    pass
        except Exception as error:  # surfaced below, not swallowed
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=issue, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    expected = sum(1 for w in range(threads) for a in range(per_thread) if (w + a) % 3)
    assert len(committed) == expected
    assert len(set(committed)) == expected
    assert sorted(committed) == [f"SG3410022026{n:05d}" for n in range(1, expected + 1)]
    series = CertificateNumberSeries.objects.get(certificate_type=permit, jurisdiction=district)
    assert series.last_number == expected


@pytest.mark.django_db
def test_each_type_jurisdiction_and_year_has_its_own_series(catalog):
    permit = CertificateType.objects.get(code="construction-permit")
    planning = CertificateType.objects.get(code="engineering-planning-permit")
    tunxi, shexian = Jurisdiction.objects.filter(code__in=["341002", "341021"]).order_by("code")
    next_year = datetime.date(2027, 1, 4)
    with transaction.atomic():
        numbers = [
            next_number(permit, tunxi, ISSUED_ON),
            next_number(permit, tunxi, ISSUED_ON),
            next_number(permit, shexian, ISSUED_ON),
            next_number(planning, tunxi, ISSUED_ON),
            next_number(permit, tunxi, next_year),
        ]
    assert numbers == [
        "SG341002202600001",
        "SG341002202600002",
        "SG341021202600001",
        "JZ341002202600001",
        "SG341002202700001",
    ]


@pytest.mark.django_db
def test_the_construction_permit_format_division_date_sequence(catalog):
    """施工许可证编号: 行政区划(6) + 发证日期(8) + 顺序号."""
    permit = CertificateType.objects.get(code="construction-permit")
    permit.number_format = "{prefix}{division}{date}{seq:04d}"
    permit.full_clean()
    permit.save()
    district = Jurisdiction.objects.get(code="341021")
    with transaction.atomic():
        first = next_number(permit, district, ISSUED_ON)
        second = next_number(permit, district, ISSUED_ON + datetime.timedelta(days=1))
    assert first == "SG341021202611250001"
    assert second == "SG341021202611260002"  # the sequence runs through the year


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number_format, message",
    [
        ("{prefix}{year}{seq:05d}", "行政区划"),
        ("{prefix}{division}{seq:05d}", "年度"),
        ("{prefix}{division}{year}", "序号"),
        ("{prefix}{division}{year}{seq:05d}{seq}", "序号"),
        ("{prefix}{division}{year}{serial:05d}", "未知的编号占位符"),
        ("{prefix}/{division}{year}{seq:05d}", "字母、数字和连字符"),
        ("{prefix}{division:>8}{year}{seq:05d}", "只有序号可以设置位数"),
        ("{prefix}{division}{year}{seq:x}", "序号位数"),
        ("{prefix}{division}{year{seq}", "花括号"),
        ("{prefix}{division}{year}第{seq:05d}号", "字母、数字和连字符"),
    ],
)
def test_a_bad_number_format_is_refused_at_save(catalog, number_format, message):
    permit = CertificateType.objects.get(code="construction-permit")
    permit.number_format = number_format
    with pytest.raises(ValidationError) as error:
        permit.full_clean()
    assert message in str(error.value.message_dict["number_format"])


@pytest.mark.django_db
def test_prefixes_are_unique_so_numbers_cannot_collide(catalog):
    permit = CertificateType.objects.get(code="construction-permit")
    permit.number_prefix = "jz"  # taken by 建设工程规划许可证 (upper-cased first)
    with pytest.raises(ValidationError) as error:
        permit.full_clean()
    assert "已被其他证照类型使用" in str(error.value.message_dict["number_prefix"])
    # Only one type may leave the prefix out of its numbers.
    permit.number_prefix = "SG"
    permit.number_format = "{division}{date}{seq:04d}"
    permit.full_clean()
    permit.save()
    planning = CertificateType.objects.get(code="engineering-planning-permit")
    planning.number_format = "{division}{year}{seq:06d}"
    with pytest.raises(ValidationError) as error:
        planning.full_clean()
    assert "{prefix}" in str(error.value.message_dict["number_format"])
