"""The public pages: who the coordinators are, the reports they publish, and 見える化.

The reports pages read only `ActivityLog.objects.published()`. 見える化 counts
every log, as numbers only and with small counts hidden (coordinators/insights.py).
"""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from coordinators import insights as tallies
from coordinators.charts import Series, bar_chart
from coordinators.choices import public_districts
from coordinators.forms.logs import ReportFilterForm, YearForm
from coordinators.models import ActivityLog, Coordinator, Resource, Visibility
from councils.models import LifeArea
from shakyo_portal.core.fiscal import current_fiscal_year, fiscal_year_label, year_in_url
from shakyo_portal.core.links import UrlPattern

COORDINATORS_PER_PAGE = 30
REPORTS_PER_PAGE = 20


@require_safe
def coordinator_list(request):
    """Who covers which area, and how to reach them through the office.

    Queries: the count, the page of coordinators with their office and report
    counts, their districts, their life areas and those areas' councils.
    """
    page = Paginator(Coordinator.objects.for_index(), COORDINATORS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # A page names about a hundred districts: their links are written around one reverse().
    district_url = UrlPattern("districts:detail", "slug")
    for coordinator in page.object_list:
        coordinator.district_links = [
            (district_url(district.slug), district.title_name)
            for district in coordinator.public_districts
        ]
    # Most coordinators share one office: its details are shown once, below them all.
    offices = list({c.office.pk: c.office for c in page.object_list if c.office}.values())
    return render(
        request,
        "coordinators/index.html",
        {
            "page": page,
            "coordinators": page.object_list,
            "offices": offices,
            # The office they all share is the page's 担当; several, and the council's is.
            "page_office": offices[0] if len(offices) == 1 else None,
        },
    )


@require_safe
def report_list(request):
    """Published reports, newest first, narrowed by the GET form.

    Queries, whatever the data size: the form's districts, life areas,
    coordinators and 年度; the count; the page of reports (with coordinator and
    area); their photos.
    """
    form = ReportFilterForm(
        request.GET,
        districts=public_districts(),
        life_areas=list(LifeArea.objects.only("pk", "slug", "name")),
        coordinators=list(
            Coordinator.objects.filter(is_public=True)
            .filter(
                Exists(
                    ActivityLog.objects.filter(
                        coordinator=OuterRef("pk"), visibility=Visibility.PUBLISHED
                    )
                )
            )
            .only("pk", "display_name")
        ),
        years=ActivityLog.objects.published().fiscal_years(),
    )
    form.is_valid()
    # The pages are counted and cut from the reports' keys alone; only the page's
    # rows are then read whole, so page 50 sorts dates and ids, not 1,000 reports.
    keys = form.filter(ActivityLog.objects.published()).values_list("pk", flat=True)
    page = Paginator(keys, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(ActivityLog.objects.for_report_list().filter(pk__in=page.object_list))
    return render(
        request,
        "coordinators/report_list.html",
        {
            "form": form,
            "page": page,
            "reports": page.object_list,
            "active_filters": form.active_filters(),
            # The newest change among the reports shown (already fetched: no query).
            "page_updated": max((r.updated_at for r in page.object_list), default=None),
        },
    )


@require_safe
def report_detail(request, pk):
    """One published report; an internal log is not found, whoever asks."""
    # The coordinator's office comes in the same query: it is the page's 担当.
    report = get_object_or_404(
        ActivityLog.objects.for_report_detail().select_related("coordinator__office"), pk=pk
    )
    # The same rule as the resource map's: a resource in a hidden district is not shown.
    resource = Resource.objects.public().filter(pk=report.resource_id).first()
    return render(
        request,
        "coordinators/report_detail.html",
        {
            "report": report,
            "resource": resource,
            "page_updated": report.updated_at,
            "page_office": report.coordinator.office,
        },
    )


@require_safe
def insights_default(request):
    """見える化 of the current 年度 (or the latest with activities); ?year= from the
    year form goes to that 年度's own address."""
    years = ActivityLog.objects.fiscal_years()
    notice = ""
    if "year" in request.GET:
        year = year_in_url(request.GET["year"])
        if year in years:
            return redirect("coordinators:insights_year", year=year)
        notice = "指定された年度の集計はないため、"
    current = current_fiscal_year()
    fy = current if current in years or not years else years[0]
    if notice:
        notice += f"{fiscal_year_label(fy)}の集計を表示しています。"
    return render_insights(request, fy, years, notice=notice)


@require_safe
def insights_year(request, year):
    years = ActivityLog.objects.fiscal_years()
    if year not in years:
        raise Http404("その年度の集計はありません。")
    return render_insights(request, year, years)


def render_insights(request, fy, years, *, notice=""):
    """Queries: the 年度 with activities (by the caller), the counts by kind, the counts
    by area and the names of those areas."""
    result = tallies.insights(fy).protected()
    return render(
        request,
        "coordinators/insights.html",
        {
            "fiscal_year": fy,
            "insights": result,
            "years": years,
            "year_form": YearForm(years=years, selected=fy) if len(years) > 1 else None,
            "notice": notice,
            "small": tallies.SMALL,
            "kind_chart": kind_chart(result),
            "area_chart": area_chart(result),
        },
    )


def kind_chart(result):
    if result.is_empty:
        return None
    rows = result.by_kind
    busiest = max(rows, key=lambda row: row.logs)
    return bar_chart(
        chart_id="chart-kind",
        title=f"{fiscal_year_label(result.fiscal_year)} 活動の種類ごとの件数",
        description=(
            f"横棒グラフ。最も多いのは{busiest.label}（{busiest.logs:,}件）。"
            "種類ごとの件数は、グラフの下の表のとおりです。"
        ),
        labels=[row.label for row in rows],
        series=[Series("活動", [row.logs for row in rows])],
    )


def area_chart(result):
    rows = result.by_area
    if result.is_empty:
        return None
    return bar_chart(
        chart_id="chart-area",
        title=f"{fiscal_year_label(result.fiscal_year)} 地区・圏域ごとの相談件数とつなぎ件数",
        description=(
            "横棒グラフ。地区・圏域ごとに、相談件数（塗りつぶしの棒）と"
            "専門機関へのつなぎ件数（斜線の棒）を並べています。"
            "件数の少ない地区・圏域は非公表です。"
            "地区・圏域ごとの件数は、グラフの下の表のとおりです。"
        ),
        labels=[row.label for row in rows],
        series=[
            Series("相談件数", [row.consultations_shown for row in rows]),
            Series("つなぎ件数", [row.referrals_shown for row in rows]),
        ],
        hidden_text=tallies.HIDDEN_TEXT,
    )
