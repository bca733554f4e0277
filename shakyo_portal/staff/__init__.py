"""The staff side: roles and what each may reach, the admin site, login
hardening, audit history, the personal-data life cycle and backups."""
