from django.contrib import admin

from .models import ExportCursor, ExportFile


@admin.register(ExportCursor)
class ExportCursorAdmin(admin.ModelAdmin):
    list_display = ["table", "exported_until", "updated_at"]
    readonly_fields = ["table", "updated_at"]


@admin.register(ExportFile)
class ExportFileAdmin(admin.ModelAdmin):
    list_display = ["created_at", "table", "rows", "path", "changed_after", "changed_until"]
    list_filter = ["table"]
    readonly_fields = [f.name for f in ExportFile._meta.fields]

    def has_add_permission(self, request):
        return False
