# 两条命令：make demo（安装并生成样例文档）、make test（安装并运行测试）
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint rules breakages mutation bench templates samples clean system-deps

# 可选部分所需的系统软件（Debian/Ubuntu，需要 root）：LibreOffice（PDF）、中文字体、poppler-utils（PDF 测试）、
# Chromium（网页的浏览器测试）、PostgreSQL（网页在 PostgreSQL 上的测试，测试自己启动临时数据库）。
# 已安装的不会重复安装；不是 root 或没有 apt-get 时只提示并跳过。
SYSTEM_DEPS := libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei poppler-utils chromium postgresql

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,charts,web]'
	$(BIN)/python -m compileall -q generator  # bytecode now, as a wheel install has it: every start is faster
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/juesuan build samples/益阳市智慧城市和大数据中心_2020.xlsx --profile 湖南2020 -o samples/益阳市智慧城市和大数据中心_2020.docx --trace
	$(BIN)/juesuan build samples/永州市政务服务中心_2018.xlsx --profile 2018 -o samples/永州市政务服务中心_2018.docx --trace
	$(BIN)/juesuan build samples/示例单位_2024.xlsx --profile 上海2024 -o samples/示例单位_2024.docx --trace
	$(BIN)/juesuan build samples/示例部门_2024.xlsx --profile 上海2024 -o samples/示例部门_2024.docx --trace

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

rules: $(STAMP)
	$(BIN)/python -m pytest -m rules

# mutation testing of the §5/§6 modules against the rule tests (`pytest -m rules`, without test_rules_document.py):
#   generator/checks/*.py (__init__, core, identities, links, prior, other, performance, sanity, content, claims),
#   generator/figures.py, generator/phrasing.py, generator/money.py — about 6,850 mutants with mutmut 3.8.
# All of them take more than 3 h on 2 shared cores (a survivor runs every rule test that reaches its function: ~320 for claims,
# ~15 s). One module at a time, e.g. make mutation MUTANTS="generator.checks.links*" JOBS=2 (measured 2026-11-22, 2 children:
# figures 1,225 mutants ~4 min, phrasing 531 ~1.5 min, links 583 ~17 min, money 4 <1 min, identities 1,175 ~27 min,
# claims 998 ~5 s each, ~80 min; content slowest); a list of mutant names to re-run only those; or a random sample of a
# module, typed in the shell: MUTANTS="$(.venv/bin/python tests/mutation_report.py sample generator/checks/claims.py 200)"
# (the module's line then reports the sample's rate).
# Results accumulate in mutants/ (a module not run stays "not checked" and counts nowhere); the report is per module.
mutation: $(STAMP)
	$(BIN)/pip install -q -e '.[test,mutation]'
	$(BIN)/mutmut run --max-children $${JOBS:-2} $(MUTANTS)
	$(BIN)/python tests/mutation_report.py

# issue 7's acceptance: each listed breakage, reapplied to a clone of HEAD, fails a rule test (tests/breakages.py)
breakages: $(STAMP)
	$(BIN)/python tests/breakages.py $(ONLY)

bench: $(STAMP)
	$(BIN)/juesuan bench

templates: $(STAMP)
	$(BIN)/python -m generator.template_builder

samples: $(STAMP)
	$(BIN)/python samples/src/make_samples.py

system-deps:
	@if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "system-deps：跳过（没有 apt-get，不是 Debian/Ubuntu）；PDF、中文字体、浏览器和 PostgreSQL 测试需要：$(SYSTEM_DEPS)"; \
	else \
		missing=$$(for p in $(SYSTEM_DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
		if [ -z "$$missing" ]; then echo "system-deps：已全部安装（$(SYSTEM_DEPS)）"; \
		elif [ "$$(id -u)" != 0 ]; then echo "system-deps：跳过（需要 root）；请运行 sudo apt-get install --no-install-recommends $$missing"; \
		else echo "system-deps：安装 $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		fi; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info mutants
