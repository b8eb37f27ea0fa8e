// The payment return page: in the payment popup its button closes the
// popup, back to the chat that already got the result; opened in the
// chat's own tab it is a link back to the chat.
(() => {
  'use strict';
  const back = document.getElementById('back');
  if (window.opener && !window.opener.closed) {
    back.textContent = '창 닫고 대화로 돌아가기';
    back.addEventListener('click', (e) => {
      e.preventDefault();
      window.close();
    });
  }
})();
