# 两条命令：make demo（安装并生成样例文档）、make test（安装并运行测试）
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench templates samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,web]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/juesuan build samples/益阳市智慧城市和大数据中心_2020.xlsx --profile 湖南2020 -o samples/益阳市智慧城市和大数据中心_2020.docx --trace
	$(BIN)/juesuan build samples/永州市政务服务中心_2018.xlsx --profile 2018 -o samples/永州市政务服务中心_2018.docx --trace
	$(BIN)/juesuan build samples/示例单位_2024.xlsx --profile 上海2024 -o samples/示例单位_2024.docx --trace

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/juesuan bench

templates: $(STAMP)
	$(BIN)/python -m generator.template_builder

samples: $(STAMP)
	$(BIN)/python samples/src/make_samples.py

clean:
	rm -rf $(VENV) build *.egg-info
