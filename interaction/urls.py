"""Public URLs of the interaction app."""

app_name = "interaction"
urlpatterns = []
