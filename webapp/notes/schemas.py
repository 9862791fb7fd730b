"""The quick note as it crosses the sync boundary."""

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

MAX_PHOTOS = 6
NOTE_LENGTH = "Write a note of 1 to 2000 characters."


def has_words(value: str) -> None:
    if not value.strip():
        raise ValidationError(NOTE_LENGTH)


class QuickNoteSchema(Schema):
    class Meta:
        unknown = RAISE

    area_id = fields.Integer(required=True, strict=False)
    key_location_id = fields.Integer(allow_none=True, load_default=None)
    text = fields.String(required=True, validate=[validate.Length(min=1, max=2000, error=NOTE_LENGTH), has_words])
    photo_ids = fields.List(fields.UUID(), load_default=list,
                            validate=validate.Length(max=MAX_PHOTOS, error="At most 6 photos per note."))

    @post_load
    def normalise(self, data, **kwargs):
        if "photo_ids" in data:
            data["photo_ids"] = [str(p) for p in data["photo_ids"]]
        if isinstance(data.get("text"), str):
            data["text"] = data["text"].strip()
        return data
