from django import forms

from .models import DocumentKind


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label="公文", choices=DocumentKind.choices)
    file = forms.FileField(label="模板文件（.docx）",
                           help_text="先下载当前模板，在 Word 中修改文字后上传；保留 {{ }} 标记。")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".docx"):
            raise forms.ValidationError("请上传 .docx 文件。")
        return f
