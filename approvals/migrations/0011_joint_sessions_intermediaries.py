"""Joint sessions (联合踏勘/联合图审/联合验收) and intermediary services (中介服务).

Written by hand from makemigrations' output, keeping only these models:
other pending model changes in approvals belong to their own migration."""

import django.core.validators
import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models

import approvals.models.joint


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0010_delegation"),
        ("stages", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Intermediary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='机构名称')),
                ('credit_code', models.CharField(blank=True, max_length=18, verbose_name='统一社会信用代码')),
                ('contact', models.CharField(blank=True, max_length=50, verbose_name='联系人')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                ('active', models.BooleanField(default=True, help_text='取消勾选后不再供申请人选择，已有委托不受影响。', verbose_name='在册')),
            ],
            options={
                'verbose_name': '中介机构',
                'verbose_name_plural': '中介机构',
                'ordering': ['name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='IntermediaryEngagement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('service_type', models.CharField(choices=[('surveying', '测绘'), ('geotechnical', '勘察'), ('design', '设计'), ('environmental', '环评编制'), ('soil_water', '水土保持方案编制'), ('drawing_review', '施工图审查'), ('cost', '造价咨询')], max_length=20, verbose_name='服务类型')),
                ('need', models.CharField(max_length=200, verbose_name='服务需求')),
                ('picked_at', models.DateTimeField(auto_now_add=True, verbose_name='选取时间')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='服务开始日期')),
                ('finished_on', models.DateField(blank=True, null=True, verbose_name='服务完成日期')),
                ('working_days', models.PositiveSmallIntegerField(blank=True, help_text='开始日之后至完成日（含）的工作日数，计入项目100个工作日。', null=True, verbose_name='服务用时（工作日）')),
                ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='取消时间')),
                ('rating', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='评分')),
                ('rating_comment', models.TextField(blank=True, verbose_name='评价')),
                ('rated_at', models.DateTimeField(blank=True, null=True, verbose_name='评价时间')),
            ],
            options={
                'verbose_name': '中介服务委托',
                'verbose_name_plural': '中介服务委托',
                'ordering': ['-picked_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='IntermediaryService',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('service_type', models.CharField(choices=[('surveying', '测绘'), ('geotechnical', '勘察'), ('design', '设计'), ('environmental', '环评编制'), ('soil_water', '水土保持方案编制'), ('drawing_review', '施工图审查'), ('cost', '造价咨询')], db_index=True, max_length=20, verbose_name='服务类型')),
                ('qualification', models.CharField(blank=True, max_length=200, verbose_name='资质')),
                ('promised_working_days', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='承诺时限（工作日）')),
            ],
            options={
                'verbose_name': '中介服务项目',
                'verbose_name_plural': '中介服务项目',
                'ordering': ['service_type', 'intermediary__name'],
            },
        ),
        migrations.CreateModel(
            name='JointMinutes',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('pdf', models.FileField(blank=True, max_length=200, upload_to='joint/minutes/', verbose_name='PDF 文件')),
                ('sha256', models.CharField(blank=True, max_length=64, verbose_name='PDF SHA-256')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='出具时间')),
                ('rendered_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='生成时间')),
            ],
            options={
                'verbose_name': '会审纪要',
                'verbose_name_plural': '会审纪要',
                'ordering': ['created_at'],
            },
        ),
        migrations.CreateModel(
            name='JointOpinion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('result', models.CharField(choices=[('pass', '通过'), ('pass_with_conditions', '有条件通过'), ('fail', '不通过')], max_length=30, verbose_name='意见')),
                ('text', models.TextField(blank=True, verbose_name='意见内容')),
                ('recorded_at', models.DateTimeField(auto_now=True, verbose_name='出具时间')),
            ],
            options={
                'verbose_name': '部门会审意见',
                'verbose_name_plural': '部门会审意见',
                'ordering': ['round', 'department__code'],
            },
        ),
        migrations.CreateModel(
            name='JointParticipant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('matter', '事项参加联合会审'), ('lead', '牵头部门'), ('added', '牵头部门邀请')], max_length=10, verbose_name='参加原因')),
                ('added_at', models.DateTimeField(auto_now_add=True, verbose_name='加入时间')),
            ],
            options={
                'verbose_name': '联合会审参加部门',
                'verbose_name_plural': '联合会审参加部门',
                'ordering': ['department__code'],
            },
        ),
        migrations.CreateModel(
            name='JointRevisionFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=200, upload_to=approvals.models.joint.revision_path, verbose_name='文件')),
                ('original_name', models.CharField(max_length=255, verbose_name='原文件名')),
                ('content_type', models.CharField(max_length=100, verbose_name='文件类型')),
                ('extension', models.CharField(max_length=10, verbose_name='扩展名')),
                ('size', models.PositiveBigIntegerField(verbose_name='大小（字节）')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
            ],
            options={
                'verbose_name': '修改后图纸',
                'verbose_name_plural': '修改后图纸',
                'ordering': ['uploaded_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='JointRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='轮次')),
                ('scheduled_for', models.DateTimeField(verbose_name='会审时间')),
                ('place', models.CharField(max_length=200, verbose_name='会审地点')),
                ('note', models.TextField(blank=True, verbose_name='会审安排说明')),
                ('result', models.CharField(blank=True, choices=[('pass', '通过'), ('pass_with_conditions', '有条件通过'), ('fail', '不通过'), ('revise', '修改后再审')], max_length=30, verbose_name='本轮结论')),
                ('consolidated_opinion', models.TextField(blank=True, verbose_name='汇总意见')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                ('revision_requested_on', models.DateField(blank=True, null=True, verbose_name='要求修改日期')),
                ('revision_submitted_on', models.DateField(blank=True, null=True, verbose_name='提交修改日期')),
                ('revision_note', models.TextField(blank=True, verbose_name='修改说明')),
                ('paused_task_ids', models.JSONField(blank=True, default=list, verbose_name='暂停计时的审查任务')),
                ('paused_working_days', models.PositiveSmallIntegerField(default=0, verbose_name='修改用时（工作日）')),
            ],
            options={
                'verbose_name': '会审轮次',
                'verbose_name_plural': '会审轮次',
                'ordering': ['session', 'number'],
            },
        ),
        migrations.CreateModel(
            name='JointSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('site_survey', '联合踏勘'), ('drawing_review', '联合图审'), ('acceptance', '联合验收'), ('joint_review', '联合会审')], max_length=20, verbose_name='会审类型')),
                ('state', django_fsm.FSMField(choices=[('scheduled', '会审中，待各部门出具意见'), ('revising', '待申请人修改图纸'), ('revised', '已提交修改，待安排下一轮'), ('closed', '已办结')], db_index=True, default='scheduled', max_length=50, verbose_name='状态')),
                ('result', models.CharField(blank=True, choices=[('pass', '通过'), ('pass_with_conditions', '有条件通过'), ('fail', '不通过'), ('revise', '修改后再审')], max_length=30, verbose_name='会审结论')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='办结时间')),
            ],
            options={
                'verbose_name': '联合会审',
                'verbose_name_plural': '联合会审',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='intermediaryengagement',
            name='intermediary',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='engagements', to='approvals.intermediary', verbose_name='中介机构'),
        ),
        migrations.AddField(
            model_name='intermediaryengagement',
            name='picked_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='选取人'),
        ),
        migrations.AddField(
            model_name='intermediaryengagement',
            name='project',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='intermediary_engagements', to='approvals.project', verbose_name='项目'),
        ),
        migrations.AddField(
            model_name='intermediaryengagement',
            name='rated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='评价人'),
        ),
        migrations.AddField(
            model_name='intermediaryengagement',
            name='stage',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stages.stage', verbose_name='服务阶段'),
        ),
        migrations.AddField(
            model_name='intermediaryservice',
            name='intermediary',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='services', to='approvals.intermediary', verbose_name='中介机构'),
        ),
        migrations.AddField(
            model_name='jointopinion',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stages.department', verbose_name='部门'),
        ),
        migrations.AddField(
            model_name='jointopinion',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='出具人'),
        ),
        migrations.AddField(
            model_name='jointparticipant',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stages.department', verbose_name='参加部门'),
        ),
        migrations.AddField(
            model_name='jointrevisionfile',
            name='uploaded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人'),
        ),
        migrations.AddField(
            model_name='jointround',
            name='closed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='汇总人'),
        ),
        migrations.AddField(
            model_name='jointrevisionfile',
            name='round',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revision_files', to='approvals.jointround', verbose_name='会审轮次'),
        ),
        migrations.AddField(
            model_name='jointopinion',
            name='round',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='opinions', to='approvals.jointround', verbose_name='会审轮次'),
        ),
        migrations.AddField(
            model_name='jointminutes',
            name='round',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='minutes', to='approvals.jointround', verbose_name='会审轮次'),
        ),
        migrations.AddField(
            model_name='jointsession',
            name='application',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='joint_sessions', to='approvals.application', verbose_name='申请'),
        ),
        migrations.AddField(
            model_name='jointsession',
            name='created_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发起人'),
        ),
        migrations.AddField(
            model_name='jointsession',
            name='lead_department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stages.department', verbose_name='牵头部门'),
        ),
        migrations.AddField(
            model_name='jointround',
            name='session',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rounds', to='approvals.jointsession', verbose_name='联合会审'),
        ),
        migrations.AddField(
            model_name='jointparticipant',
            name='session',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='approvals.jointsession', verbose_name='联合会审'),
        ),
        migrations.AddConstraint(
            model_name='intermediaryengagement',
            constraint=models.CheckConstraint(condition=models.Q(('rating__isnull', True), models.Q(('finished_on__isnull', False), ('rating__gte', 1), ('rating__lte', 5)), _connector='OR'), name='engagement_rated_1_to_5_after_finish'),
        ),
        migrations.AddConstraint(
            model_name='intermediaryengagement',
            constraint=models.CheckConstraint(condition=models.Q(('finished_on__isnull', True), models.Q(('finished_on__gte', models.F('started_on')), ('started_on__isnull', False)), _connector='OR'), name='engagement_finishes_after_start'),
        ),
        migrations.AddConstraint(
            model_name='intermediaryservice',
            constraint=models.UniqueConstraint(fields=('intermediary', 'service_type'), name='one_service_type_per_intermediary'),
        ),
        migrations.AddConstraint(
            model_name='jointopinion',
            constraint=models.UniqueConstraint(fields=('round', 'department'), name='one_joint_opinion_per_department'),
        ),
        migrations.AddConstraint(
            model_name='jointsession',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'closed'), _negated=True), fields=('application',), name='one_open_joint_session_per_application'),
        ),
        migrations.AddConstraint(
            model_name='jointround',
            constraint=models.UniqueConstraint(fields=('session', 'number'), name='joint_round_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='jointparticipant',
            constraint=models.UniqueConstraint(fields=('session', 'department'), name='one_joint_participant_per_department'),
        ),
    ]
