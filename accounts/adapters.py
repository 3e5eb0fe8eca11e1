from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import record_authentication
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext

from accounts import signup
from accounts.models import Person
from consent.services import has_consent
from lib import discreet, emails
from lib.links import on_site
from vault import services as vault

MFA_LABEL = "allauth.mfa.secret"
LOGGED_IN = "account/messages/logged_in.txt"
WELCOME_NEW = "account/messages/welcome_new.txt"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        if not has_consent(request.user):
            return "/consent/"
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return "/consent/"

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        if message_template == LOGGED_IN and getattr(request, "signed_up_now", False):
            message_template = WELCOME_NEW
        super().add_message(request, level, message_template, *args, **kwargs)

    def is_open_for_signup(self, request):
        # The one gate: allauth asks it before showing the sign-up form and before taking it.
        return signup.is_open(request)

    def save_user(self, request, user, form, commit=True):
        # An operator's sign-up link makes one account: spent here, as the account is made.
        if not signup.use_pass(request):
            raise ImmediateHttpResponse(TemplateResponse(request, "account/signup_closed.html"))
        # The sign-up signs the new person in next; its greeting is not "Welcome back".
        request.signed_up_now = True
        # The browser's zone, when it sent one we know (accounts.forms.SignUpForm).
        if zone := form.cleaned_data.get("time_zone"):
            user.time_zone = zone
        # The language the sign-up page spoke (the browser's, through LocaleMiddleware) becomes
        # the person's: e-mails and notifications sent later need one, and it can be changed.
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit)

    def post_login(self, request, user, **kwargs):
        # Someone who has just chosen their password (and, where verification is required,
        # opened the link in their mailbox) has just proved who they are: the first steps
        # after sign-up (adding a channel) should not ask for the password again at once.
        if kwargs.get("signup"):
            record_authentication(request, user, method="password", reauthenticated=True)
        return super().post_login(request, user, **kwargs)

    def get_reauthentication_methods(self, user):
        # In the words of the two-step sign-in page.
        words = {
            "mfa_reauthenticate": gettext("Use your authenticator app or a recovery code"),
            "mfa_reauthenticate:webauthn": gettext("Use a passkey"),
        }
        methods = super().get_reauthentication_methods(user)
        return [{**m, "description": words.get(m["id"], m["description"])} for m in methods]

    def send_mail(self, template_prefix, email, context):
        """Through lib.emails, as every e-mail: in the words and name the recipient chose
        (discreet mode, language) — never the page's it was sent from — and with allauth's
        links moved onto SITE_URL."""
        person = context.get("user")
        if not isinstance(person, Person):
            person = Person.objects.filter(email__iexact=email).first()
        language = (person.language if person else "") or translation.get_language()
        context = {
            **context,
            **{key: on_site(url) for key, url in context.items() if key.endswith("_url")},
            "email": email,
        }
        made = emails.render(
            template_prefix,
            context,
            language=language or settings.LANGUAGE_CODE,
            discreet_words=person is not None and person.discreet_mode,
        )
        emails.send(made, email)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # Whose account it is: a notice to an address just replaced must still know them.
        context = {**(context or {}), "user": user}
        super().send_notification_mail(template_prefix, user, context, email)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP seeds and recovery codes are sealed by the vault under the instance's own key.

    allauth does not tell this hook whose secret it is, so these secrets use the instance's
    data key rather than the person's; the authenticator rows are deleted with the person.
    """

    def _discreet_name(self) -> str | None:
        # The name an authenticator app or a passkey keeps on the phone for good.
        if getattr(context.request, "discreet", False):
            return gettext(discreet.NEUTRAL_NAME)
        return None

    def generate_authenticator_name(self, user, type) -> str:
        # What the add form offers as the passkey's name: "Passkey", then "Passkey 2", …
        n = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        if n == 0:
            return gettext("Passkey")
        return gettext("Passkey %(number)s") % {"number": n + 1}

    def get_totp_issuer(self) -> str:
        return self._discreet_name() or super().get_totp_issuer()

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = self._discreet_name() or entity["name"]
        return entity

    def encrypt(self, text: str) -> str:
        return vault.encrypt(vault.INSTANCE_OWNER, MFA_LABEL, text)

    def decrypt(self, encrypted_text: str) -> str:
        return vault.decrypt(vault.INSTANCE_OWNER, MFA_LABEL, encrypted_text)
