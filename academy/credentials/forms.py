"""Forms of the credentials pages: verification, revocation, the talent pool."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, ValidationError

from academy.credentials.models import Availability
from academy.credentials.operations import SERIAL_PATTERN, normalise_serial

#: Provincial-level divisions of the mainland, by pinyin (the form shows both names).
PROVINCES = [
    ("anhui", "Anhui", "安徽"),
    ("beijing", "Beijing", "北京"),
    ("chongqing", "Chongqing", "重庆"),
    ("fujian", "Fujian", "福建"),
    ("gansu", "Gansu", "甘肃"),
    ("guangdong", "Guangdong", "广东"),
    ("guangxi", "Guangxi", "广西"),
    ("guizhou", "Guizhou", "贵州"),
    ("hainan", "Hainan", "海南"),
    ("hebei", "Hebei", "河北"),
    ("heilongjiang", "Heilongjiang", "黑龙江"),
    ("henan", "Henan", "河南"),
    ("hubei", "Hubei", "湖北"),
    ("hunan", "Hunan", "湖南"),
    ("inner_mongolia", "Inner Mongolia", "内蒙古"),
    ("jiangsu", "Jiangsu", "江苏"),
    ("jiangxi", "Jiangxi", "江西"),
    ("jilin", "Jilin", "吉林"),
    ("liaoning", "Liaoning", "辽宁"),
    ("ningxia", "Ningxia", "宁夏"),
    ("qinghai", "Qinghai", "青海"),
    ("shaanxi", "Shaanxi", "陕西"),
    ("shandong", "Shandong", "山东"),
    ("shanghai", "Shanghai", "上海"),
    ("shanxi", "Shanxi", "山西"),
    ("sichuan", "Sichuan", "四川"),
    ("tianjin", "Tianjin", "天津"),
    ("tibet", "Tibet", "西藏"),
    ("xinjiang", "Xinjiang", "新疆"),
    ("yunnan", "Yunnan", "云南"),
    ("zhejiang", "Zhejiang", "浙江"),
]
PROVINCE_NAMES = {code: (en, zh) for code, en, zh in PROVINCES}

LANGUAGES = [
    ("zh", _l("Chinese")),
    ("en", _l("English")),
    ("es", _l("Spanish")),
    ("ru", _l("Russian")),
    ("ar", _l("Arabic")),
    ("fr", _l("French")),
    ("ja", _l("Japanese")),
    ("pt", _l("Portuguese")),
]
LANGUAGE_NAMES = dict(LANGUAGES)


def province_choices(blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(code, f"{en} · {zh}") for code, en, zh in PROVINCES]
    return [("", blank), *choices] if blank is not None else choices


def availability_choices() -> list[tuple[str, str]]:
    return [(item.value, item.title) for item in Availability]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class VerifyForm(FlaskForm):
    serial = StringField(
        _l("Certificate number"),
        validators=[DataRequired(_l("Enter the certificate number."))],
        description=_l("As printed on the certificate, e.g. SRCA-2026-000123-7KQ4M."),
        filters=[normalise_serial],
    )
    surname = StringField(
        _l("Holder's surname"),
        validators=[DataRequired(_l("Enter the holder's surname.")), Length(max=60)],
    )

    def validate_serial(self, field: StringField) -> None:
        if not SERIAL_PATTERN.match(field.data or ""):
            raise ValidationError(
                _l("This is not a certificate number: it reads like SRCA-2026-000123-7KQ4M.")
            )


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the revocation"),
        validators=[DataRequired(_l("Give the reason for the revocation.")), Length(max=1000)],
        description=_l("Shown on the public verification page."),
    )


class ReissueForm(FlaskForm):
    holder_name = StringField(
        _l("Holder's name as printed"),
        validators=[DataRequired(_l("Enter the name as it should be printed.")), Length(max=120)],
    )


class PoolForm(FlaskForm):
    city = StringField(_l("City"), validators=[Length(max=80)])
    province = SelectField(_l("Province"), choices=[], default="")
    languages = MultiCheckboxField(_l("Languages you work in"), choices=[])
    availability = SelectField(_l("Availability"), choices=[], default=Availability.OPEN.value)
    statement = TextAreaField(
        _l("A short statement"),
        validators=[Length(max=600)],
        description=_l("What work you are looking for, in a few sentences."),
    )
    show_name = BooleanField(_l("Show my name (otherwise recruiters see only a profile number)"))
    show_location = BooleanField(_l("Show my city and province"))
    show_highlights = BooleanField(_l("Show my graded lab and practical highlights"))
    show_courses = BooleanField(_l("Show the courses I completed"))
    consent = BooleanField(
        _l("I have read the privacy notice and agree that recruiters may find this profile."),
        validators=[DataRequired(_l("Joining the talent pool needs your consent."))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.province.choices = province_choices("")
        self.languages.choices = list(LANGUAGES)
        self.availability.choices = availability_choices()


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    level = SelectField(_l("Level"), choices=[], default="")
    units = MultiCheckboxField(_l("Units achieved"), choices=[])
    province = SelectField(_l("Province"), choices=[], default="")
    language = SelectField(_l("Language"), choices=[], default="")
    availability = MultiCheckboxField(_l("Availability"), choices=[])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.province.choices = province_choices("")
        self.language.choices = [("", ""), *LANGUAGES]
        self.availability.choices = availability_choices()


class ContactForm(FlaskForm):
    message = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(_l("Write what the contact is about.")), Length(max=1000)],
        description=_l("Say who you are, the role and why this profile interests you."),
    )
