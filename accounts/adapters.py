from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from vault import services as vault

MFA_LABEL = "allauth.mfa.secret"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        from privacy.services import has_consent

        if not has_consent(request.user):
            return "/consent/"
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return "/consent/"

    def format_email_subject(self, subject):
        return f"[{settings.INSTANCE_NAME}] {subject}"

    def send_mail(self, template_prefix, email, context):
        # The operator's chosen name, also for e-mails sent from a page in discreet mode.
        context = {
            **context,
            "instance_name": settings.INSTANCE_NAME,
            "site_url": settings.SITE_URL,
        }
        super().send_mail(template_prefix, email, context)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP seeds and recovery codes are sealed by the vault under the instance's own key.

    allauth does not tell this hook whose secret it is, so these secrets use the instance's
    data key rather than the person's; the authenticator rows are deleted with the person.
    """

    def encrypt(self, text: str) -> str:
        return vault.encrypt(vault.INSTANCE_OWNER, MFA_LABEL, text)

    def decrypt(self, encrypted_text: str) -> str:
        return vault.decrypt(vault.INSTANCE_OWNER, MFA_LABEL, encrypted_text)
