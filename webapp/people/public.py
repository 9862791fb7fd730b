"""What other domains may use of people: a person's own contacts and lobby-card photo, changed on 我的
(webapp.auth) the same way a manager changes them here (R-AREA-4)."""

from .edits import change_contacts
from .views import photo_url, save_photo

__all__ = ["change_contacts", "photo_url", "save_photo"]
