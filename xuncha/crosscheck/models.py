"""数据比对 in a round: the departments' data files, the policies, the runs and their 疑点.

DESIGN.md: nothing is a problem until a person confirms it. A run of the cross-check engine
(``xuncha.crosscheck_engine``) on the round's current data files gives 疑点 (suspicions); a team member
confirms one (it becomes a ``findings.Problem``) or dismisses it with a reason. A re-run keeps the
decisions on 疑点 whose fingerprint (rule, primary record, amount) did not change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.orgs.models import Jurisdiction
from xuncha.rounds.models import Round


class DataFile(models.Model):
    """数据文件: one department export uploaded for a round (.xlsx/.xls/.csv), checked on upload."""

    class Status(models.TextChoices):
        OK = "ok", "可导入"
        ERROR = "error", "有错误"

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.PROTECT, related_name="data_files")
    name = models.CharField("文件名", max_length=200)
    table_code = models.CharField("数据表", max_length=30, blank=True)
    stored = models.ForeignKey("files.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField("行数", default=0)
    status = models.CharField("检查结果", max_length=10, choices=Status.choices)
    errors = models.JSONField("错误", default=list, blank=True)
    notes = models.JSONField("未导入的工作表", default=list, blank=True)
    active = models.BooleanField("当前使用", default=True, help_text="重新上传同名文件或移除后不再使用")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "比对数据文件"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "name", "-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class CheckPolicy(models.Model):
    """比对策略: the policy file (TOML) of one jurisdiction and year."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="地区", on_delete=models.PROTECT,
                                     related_name="check_policies")
    year = models.PositiveIntegerField("年度")
    toml = models.TextField("策略文件（TOML）")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "比对策略"
        verbose_name_plural = verbose_name
        ordering = ["jurisdiction_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"], name="check_policy_unique_year")]

    def __str__(self) -> str:
        return f"{self.jurisdiction.name}{self.year}年比对策略"


class CheckRun(models.Model):
    """比对运行: one run of the engine on the round's data files, kept with everything it used."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.PROTECT, related_name="check_runs")
    number = models.PositiveIntegerField("次序")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField("阶段", max_length=30, blank=True)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    message = models.TextField("说明", blank=True)
    errors = models.JSONField("数据错误", default=list, blank=True)
    task_id = models.CharField("后台任务编号", max_length=64, blank=True, db_index=True)
    as_of = models.DateField("比对基准日")
    policy = models.ForeignKey(CheckPolicy, verbose_name="比对策略", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="runs")
    policy_label = models.CharField("策略名称", max_length=200)
    policy_toml = models.TextField("所用策略（TOML 原文）")
    policy_sha256 = models.CharField("策略 SHA-256", max_length=64)
    engine_version = models.CharField("比对引擎版本", max_length=100)
    files = models.JSONField("数据文件", default=list, help_text="文件名、表、行数、大小、SHA-256")
    data_files = models.ManyToManyField(DataFile, verbose_name="数据文件", related_name="runs")
    rule_counts = models.JSONField("按规则统计", default=list, blank=True)
    tables = models.JSONField("各表行数", default=dict, blank=True)
    skipped = models.JSONField("未导入", default=list, blank=True)
    unresolved = models.PositiveIntegerField("未定单位名称", default=0)
    hits = models.PositiveIntegerField("疑点数", default=0)
    timings = models.JSONField("耗时（秒）", default=dict, blank=True)
    workdir = models.CharField("结果目录", max_length=300, blank=True)
    output_sha256 = models.CharField("结果文件的 SHA-256", max_length=64, blank=True,
                                     help_text="findings.jsonl 与 result.json：疑点清单在第一次导出时由它们生成，先核对未被改动")
    workbook = models.ForeignKey("files.StoredFile", verbose_name="疑点清单", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "比对运行"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="check_run_unique_number")]

    def __str__(self) -> str:
        return f"第{self.number}次比对"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def has_workbook(self) -> bool:
        """A 疑点清单 to export: kept already, or made on the first export from the run's output."""
        return self.workbook_id is not None or (self.status == self.Status.SUCCEEDED and bool(self.output_sha256))


class Suspicion(models.Model):
    """疑点: one hit of a rule in a run. A person confirms it (→ 问题) or dismisses it (with a reason)."""

    class Status(models.TextChoices):
        OPEN = "open", "待核实"
        CONFIRMED = "confirmed", "已确认"
        DISMISSED = "dismissed", "已排除"

    class Change(models.TextChoices):
        NEW = "new", "新出现"
        UNCHANGED = "unchanged", "未变化"
        CHANGED = "changed", "有变化，需重新核实"

    run = models.ForeignKey(CheckRun, verbose_name="比对运行", on_delete=models.CASCADE, related_name="suspicions")
    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.PROTECT, related_name="suspicions")
    finding_no = models.PositiveIntegerField("疑点序号")
    rule = models.CharField("规则", max_length=10)
    title = models.CharField("规则名称", max_length=100)
    category = models.CharField("问题类别代码", max_length=20)
    amount = models.DecimalField("涉及金额（元）", max_digits=16, decimal_places=2, default=0)
    summary = models.TextField("疑点描述")
    # Runs saved before the evidence was read from the run's findings.jsonl keep it here (records,
    # evidence); a newer 疑点 has them empty and points at its line of findings.jsonl instead.
    records = models.JSONField("涉及记录（旧数据）", default=list, blank=True)
    evidence = models.JSONField("证据（旧数据）", default=dict, blank=True)
    line_at = models.BigIntegerField("在 findings.jsonl 中的字节位置", null=True, blank=True)
    line_size = models.PositiveIntegerField("在 findings.jsonl 中的字节数", null=True, blank=True)
    county = models.CharField("区县", max_length=100, blank=True)
    primary_record = models.CharField("主记录", max_length=200)
    key = models.CharField("规则与主记录", max_length=220, db_index=True)
    fingerprint = models.CharField("指纹", max_length=64)
    entities = models.JSONField("涉及单位和项目", default=list, blank=True)
    status = models.CharField("核实状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    change = models.CharField("与上次比对相比", max_length=10, choices=Change.choices, default=Change.NEW)
    reason = models.TextField("排除理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核实人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("核实时间", null=True, blank=True)
    previous = models.ForeignKey("self", verbose_name="上次比对的同一疑点", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    problem = models.ForeignKey("findings.Problem", verbose_name="形成的问题", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="suspicions")
    clue = models.ForeignKey("clues.Clue", verbose_name="转为问题线索", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="suspicions")

    class Meta:
        verbose_name = "疑点"
        verbose_name_plural = verbose_name
        ordering = ["run_id", "finding_no"]
        constraints = [models.UniqueConstraint(fields=["run", "finding_no"], name="suspicion_unique_no")]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"疑点{self.finding_no}（{self.rule} {self.title}）"

    @property
    def code(self) -> str:
        return f"第{self.run.number}次比对 疑点{self.finding_no}"
