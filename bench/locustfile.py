"""Simulated users of bench/load.py (locust): the office, team members, the unit and the public.

Staff log in through the real login form, then work like people do: open the home page, follow the
links they see (rounds, petitions, clues, calendar, documents…), now and then write a work log.
The public reads the announcements and files reports. The accounts come from XUNCHA_LOAD_PLAN (JSON
written by bench/load.py from the demo data).
"""

from __future__ import annotations

import json
import os
import random
import re
from datetime import date

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["XUNCHA_LOAD_PLAN"]).read())
PASSWORD = PLAN["password"]
LINK = re.compile(r'<a [^>]*href="(/[^"#]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SKIP = ("/accounts/", "/static/", ".docx", ".xlsx", "/audit/verify/", "/reveal/", "?next=")
PUBLIC_REPORTS = {"left": PLAN["public_reports"]}   # the public form allows 5 reports per address per 10 min


def label(path: str) -> str:
    """Group statistics by page, not by record: /rounds/3/ → /rounds/{id}/."""
    return re.sub(r"\d+", "{id}", path.split("?")[0]) + ("?…" if "?" in path else "")


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    group = ""

    def on_start(self):
        self.username = random.choice(PLAN["users"][self.group])
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF.search(page.text).group(1)
        with self.client.post("/accounts/login/", name="登录", catch_response=True,
                              data={"username": self.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": token}) as response:
            if "退出" not in response.text:
                response.failure(f"login failed for {self.username}")
        self.links = ["/"]
        self.learn(response.text)

    def learn(self, html: str) -> None:
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            if not link.startswith(SKIP) and not any(s in link for s in SKIP) and link not in self.links:
                if len(self.links) < 120:
                    self.links.append(link)

    def open(self, path: str) -> str:
        response = self.client.get(path, name=label(path))
        if response.ok:
            self.learn(response.text)
        return response.text

    @task(10)
    def browse(self):
        self.open(random.choice(self.links))

    @task(2)
    def home(self):
        self.open("/")


class Office(Staff):
    """巡察办 (city and counties) and 系统管理员."""

    weight = 12
    group = "office"


class Team(Staff):
    """巡察组组长、副组长、成员、联络员: they also write their daily work log."""

    weight = 20
    group = "team"

    @task(1)
    def work_log(self):
        rounds = [link for link in self.links if re.fullmatch(r"/rounds/\d+/", link)]
        if not rounds:
            return
        path = random.choice(rounds) + "worklogs/"
        html = self.client.get(path, name=label(path)).text
        token = CSRF.search(html)
        kind = re.search(r'name="work_type".*?<option value="([^"]+)"', html, re.S)
        if not (token and kind):
            return
        self.client.post(path, name=label(path) + " 提交", data={
            "csrfmiddlewaretoken": token.group(1), "date": date.today().isoformat(), "work_type": kind.group(1),
            "content": "个别谈话，查阅人防工程审批档案", "people_talked": "2", "forms_issued": "0",
            "forms_returned": "0"})


class Unit(Staff):
    """被巡察单位: feedback, rectification, its own rounds."""

    weight = 8
    group = "unit"


class Public(HttpUser):
    """公众: the announcement, the report form, following a report."""

    weight = 10
    wait_time = between(2, 6)

    @task(5)
    def announcement(self):
        self.client.get("/public/", name="/public/")

    @task(3)
    def open_rounds(self):
        self.client.get("/petitions/public/", name="/petitions/public/")

    @task(2)
    def report(self):
        round_id = random.choice(PLAN["public_rounds"])
        path = f"/petitions/public/{round_id}/"
        html = self.client.get(path, name=label(path)).text
        if PUBLIC_REPORTS["left"] <= 0:
            return
        PUBLIC_REPORTS["left"] -= 1
        token = CSRF.search(html).group(1)
        with self.client.post(path, name=label(path) + " 提交", catch_response=True, data={
                "csrfmiddlewaretoken": token, "anonymous": "1", "subject_name": "某县人防办",
                "content": "反映某人防工程易地建设费减免不合规，请巡察组核实。"}) as response:
            if "查询密码" not in response.text:
                response.failure("report not accepted")

    @task(1)
    def follow_page(self):
        self.client.get("/petitions/public/follow/", name="/petitions/public/follow/")
