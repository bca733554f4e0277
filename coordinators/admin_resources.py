"""Admin for 地域資源 and their categories and life scenes."""
