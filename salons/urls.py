from django.urls import path

from salons.views import directory, feeds, files, plans, status

app_name = "salons"
urlpatterns = [
    # The directory
    path("", directory.salon_list, name="index"),
    path("<int:pk>/", directory.salon_detail, name="detail"),
    # iCalendar: one salon's coming dates, and all the salons of a district
    path("<int:pk>/calendar.ics", feeds.salon_calendar, name="salon_calendar"),
    path("district/<slug:slug>/calendar.ics", feeds.district_calendar, name="district_calendar"),
    # The 活動計画書: start page, form, drafts, confirmation, print
    path("plans/", plans.plan_start, name="plan_start"),
    path("plans/new/", plans.plan_new, name="plan_new"),
    path("plans/renew/", plans.plan_renew, name="plan_renew"),
    path("plans/estimate/", plans.plan_estimate, name="plan_estimate"),
    path("plans/resume/<str:token>/", plans.plan_resume, name="plan_resume"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    # The form in steps, each saved as the draft, then the check-your-answers page
    path("plans/<int:pk>/step/<slug:step>/", plans.plan_step, name="plan_step"),
    path("plans/<int:pk>/check/", plans.plan_check, name="plan_check"),
    path("plans/<int:pk>/sent/", plans.plan_done, name="plan_done"),
    path("plans/<int:pk>/print/", plans.plan_print, name="plan_print"),
    # Status by reference + contact, and the 実績報告
    path("plans/status/", status.plan_status, name="plan_status"),
    path("plans/<int:pk>/", status.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/report/", status.report_new, name="report_new"),
    path("programs/<int:fiscal_year>/", status.program_detail, name="program"),
    # Private files, for staff only
    path("attachments/<int:pk>/", files.attachment, name="attachment"),
]
