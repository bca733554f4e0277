"""The staff accounts in the admin (管理者 only, by the role table): roles,
districts, two-factor login and open sessions, and who among the staff is
e-mailed when a resident sends something.

Two-factor login is everyone's default; the one switch here lets a person
off it, with a reason, and the audit trail (StaffProfile is audited) keeps
who did that and when.

Choosing a role group is what makes someone staff here, so saving a user
with a role turns 「スタッフ権限」 on by itself instead of asking 管理者 to
remember a second checkbox; a user without a role reaches nothing anyway.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from districts.models import District
from shakyo_portal.backoffice import sessions, twofactor
from shakyo_portal.staff import audit
from shakyo_portal.staff.models import StaffNotification, StaffProfile
from shakyo_portal.staff.roles import Role


class StaffProfileForm(forms.ModelForm):
    # The districts app owns the relation (District.staff_profiles), so the
    # profile's form offers it as a field of its own.
    districts = forms.ModelMultipleChoiceField(
        District.objects.all(),
        label="担当地区",
        required=False,
        widget=FilteredSelectMultiple("担当地区", is_stacked=False),
        help_text="地区担当のときに選びます。小地区社協は上位の地区に含まれます。",
    )

    class Meta:
        model = StaffProfile
        fields = ["two_factor_exempt", "two_factor_exempt_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["districts"] = list(self.instance.districts.values_list("pk", flat=True))

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("two_factor_exempt_reason", "").strip()
        if cleaned.get("two_factor_exempt") and not reason:
            self.add_error(
                "two_factor_exempt_reason",
                "2段階認証を免除するときは、理由を書いてください。",
            )
        elif not cleaned.get("two_factor_exempt"):
            # A reason without an exemption would read as one in the history.
            cleaned["two_factor_exempt_reason"] = ""
        else:
            cleaned["two_factor_exempt_reason"] = reason
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.districts.set(self.cleaned_data["districts"])


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = StaffProfileForm
    fields = ["districts", "two_factor_exempt", "two_factor_exempt_reason"]
    readonly_fields = ["assigned_districts"]
    can_delete = False
    max_num = 1

    def get_fields(self, request, obj=None):
        # Shown read-only (a superuser's profile to a 管理者), "districts" would
        # be looked up on the model, where it is the districts app's reverse
        # relation, which the admin cannot display.
        user_admin = self.admin_site._registry.get(type(obj)) if obj is not None else None
        if user_admin is not None and not user_admin.has_change_permission(request, obj):
            return ["assigned_districts", "two_factor_exempt", "two_factor_exempt_reason"]
        return self.fields

    @admin.display(description="担当地区")
    def assigned_districts(self, profile):
        return "、".join(str(d) for d in profile.districts.all()) or "なし"


def _touchable(request, queryset):
    """Only a superuser acts on superusers."""
    return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)


@admin.action(description="ログイン中のセッションを終了する", permissions=["change"])
def end_sessions(modeladmin, request, queryset):
    queryset = _touchable(request, queryset)
    users = list(queryset)
    ended = sum(sessions.end_sessions(user) for user in users)
    audit.record_access(
        request, User, what="セッションを終了", pks=[u.pk for u in users], event="end_sessions"
    )
    modeladmin.message_user(request, f"{len(users)}人のセッションを{ended}件終了しました。")


@admin.action(
    description="選んだユーザーを無効にする（ログインできなくする）", permissions=["change"]
)
def deactivate(modeladmin, request, queryset):
    queryset = _touchable(request, queryset)
    users = list(queryset.filter(is_active=True).exclude(pk=request.user.pk))
    for user in users:
        user.is_active = False
        # Saved one by one: the save ends the user's sessions (backoffice.sessions).
        user.save(update_fields=["is_active"])
    if queryset.filter(pk=request.user.pk).exists():
        modeladmin.message_user(
            request, "自分自身は無効にできないため、除きました。", messages.WARNING
        )
    modeladmin.message_user(
        request, f"{len(users)}人を無効にし、ログイン中のセッションを終了しました。"
    )


@admin.action(description="2段階認証をリセットする", permissions=["change"])
def reset_two_factor(modeladmin, request, queryset):
    queryset = _touchable(request, queryset)
    users = list(queryset)
    twofactor.forget_second_factor(users)
    audit.record_access(
        request,
        User,
        what="2段階認証をリセット",
        pks=[u.pk for u in users],
        event="two_factor_reset",
    )
    modeladmin.message_user(
        request,
        f"{len(users)}人の2段階認証（認証アプリと予備コード）をリセットしました。"
        "免除されていない人は、次のログインで認証アプリを設定し直します。",
    )


class PortalUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "email", "roles", "two_factor", "is_active"]
    list_filter = ["is_active", "groups", "is_staff", "is_superuser"]
    actions = [end_sessions, deactivate, reset_two_factor]
    # Permissions come from the role groups (staff.roles); a permission given
    # to one person would be a hole in that table.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["last_name", "first_name", "email"]}),
        (
            "役割と権限",
            {
                "fields": ["is_active", "groups", "is_staff", "is_superuser"],
                "description": (
                    "役割（グループ）を選ぶと、保存したときに「スタッフ権限」もオンになります。"
                ),
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    filter_horizontal = ["groups"]

    def get_inlines(self, request, obj):
        return [StaffProfileInline] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        # A superuser's password, 2FA and roles are a superuser's business.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser makes another: a 管理者 account is powerful enough
        # without being able to step outside the role table.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "is_superuser"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("groups")
            .annotate(
                has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
                exempt=Exists(
                    StaffProfile.objects.filter(user=OuterRef("pk"), two_factor_exempt=True)
                ),
            )
        )

    @admin.display(description="氏名", ordering="last_name")
    def full_name(self, obj):
        return f"{obj.last_name} {obj.first_name}".strip()

    @admin.display(description="役割")
    def roles(self, obj):
        if obj.is_superuser:
            return "管理者（スーパーユーザー）"
        names = [group.name for group in obj.groups.all()]
        return "、".join(names) or "なし"

    @admin.display(description="2段階認証")
    def two_factor(self, obj):
        if obj.has_device:
            return "有効"
        if obj.exempt:
            return "免除"
        return "未設定"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not user.is_staff and user.groups.filter(name__in=Role.values).exists():
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            self.message_user(
                request, "役割を選んだため、「スタッフ権限」をオンにしました。", messages.INFO
            )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


@admin.register(StaffNotification)
class StaffNotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "destination", "is_active", "note"]
    list_filter = ["kind", "is_active", "role"]
    search_fields = ["email", "note"]
    fieldsets = [
        (None, {"fields": ["kind"]}),
        (
            "送り先",
            {
                "fields": ["email", "role"],
                "description": "メールアドレスか役割の、どちらか一つを指定します。",
            },
        ),
        (None, {"fields": ["is_active", "note"]}),
    ]

    @admin.display(description="送り先", ordering="email")
    def destination(self, obj):
        if obj.role:
            return f"役割: {obj.get_role_display()}"
        return obj.email
