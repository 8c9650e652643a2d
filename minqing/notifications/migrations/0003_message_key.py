from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_phone_verification'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='message',
            field=models.JSONField(blank=True, default=dict, verbose_name='消息'),
        ),
    ]
