"""The text of a message as published, personal data masked; filled for what is public now."""

from django.db import migrations, models


def mask_published(apps, schema_editor):
    from interaction.masking import mask_personal_data

    Message = apps.get_model("interaction", "Message")
    for message in Message.objects.filter(is_public=True).iterator():
        own = {"name": message.name, "phone": message.phone, "email": message.email}
        message.public_subject = mask_personal_data(message.subject, **own)
        message.public_content = mask_personal_data(message.content, **own)
        message.public_reply = mask_personal_data(message.reply_body, **own)
        message.save(update_fields=["public_subject", "public_content", "public_reply"])


class Migration(migrations.Migration):
    dependencies = [
        ("interaction", "0003_participation_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="public_subject",
            field=models.TextField(blank=True, verbose_name="subject as published"),
        ),
        migrations.AddField(
            model_name="message",
            name="public_content",
            field=models.TextField(blank=True, verbose_name="content as published"),
        ),
        migrations.AddField(
            model_name="message",
            name="public_reply",
            field=models.TextField(blank=True, verbose_name="reply as published"),
        ),
        migrations.RunPython(mask_published, migrations.RunPython.noop),
    ]
