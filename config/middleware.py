"""Dutch first: the interface language is Dutch unless the user picked another in the header.

The browser's Accept-Language is ignored on purpose: staff often have an English browser on a
Dutch workplace, and the product's language is a choice made in the app (language cookie).
"""


class IgnoreBrowserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
